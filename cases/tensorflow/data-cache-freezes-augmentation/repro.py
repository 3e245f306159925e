"""A random augmentation placed before `cache()` is computed once.

The first epoch fills the cache with augmented elements; every later epoch
reads them back, so the "random" jitter is the same in every epoch.
"""
import tensorflow as tf


def load(x):
    return tf.cast(x, tf.float32)  # stands in for decoding an image


def augment(x):
    return x + tf.random.uniform([], -0.5, 0.5)  # random jitter


ds = tf.data.Dataset.range(4).map(load).map(augment).cache()

epochs = [[round(float(v), 4) for v in ds] for _ in range(3)]
print(epochs)
assert len({tuple(e) for e in epochs}) == 3, (
    f"every epoch got the same random augmentation: {epochs[0]}")
