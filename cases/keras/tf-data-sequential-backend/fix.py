"""Preprocessing layers inside `tf.data.Dataset.map` on the JAX backend, fixed.

`keras.layers.Pipeline` (Keras >= 3.6) chains layers like `Sequential`, but
it is a plain layer that leaves its input alone. Each tf.data-compatible
preprocessing layer then runs on TensorFlow inside the pipeline.
"""
import keras
import numpy as np
import tensorflow as tf

assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"

augment = keras.layers.Pipeline([
    keras.layers.Rescaling(1.0 / 255),
    keras.layers.RandomFlip("horizontal", seed=0),
])

images = np.random.default_rng(0).integers(0, 256, size=(8, 4, 4, 3))
images = images.astype("float32")
ds = tf.data.Dataset.from_tensor_slices(images).batch(4)
ds = ds.map(augment)

out = np.concatenate([b.numpy() for b in ds])
assert out.shape == (8, 4, 4, 3), f"shape {out.shape}"
assert out.dtype == np.float32, f"dtype {out.dtype}"
# Every image is rescaled to [0, 1] and either unchanged or mirrored.
scaled = images / 255.0
for i in range(8):
    same = np.allclose(out[i], scaled[i], atol=1e-6)
    mirrored = np.allclose(out[i], scaled[i][:, ::-1], atol=1e-6)
    assert same or mirrored, f"image {i} is neither the input nor its mirror"
print("ok:", out.shape, out.dtype)
