"""Restore the static shape after `tf.py_function` with `tf.ensure_shape`.

`ensure_shape` tells the graph the shape the Python function returns (and
checks it at run time), so `tf.image.resize` and later layers can use it.
"""
import numpy as np
import tensorflow as tf


def to_grey(img):
    return np.mean(img.numpy(), axis=-1, keepdims=True).astype(np.float32)


def preprocess(img):
    grey = tf.py_function(to_grey, [img], tf.float32)
    grey = tf.ensure_shape(grey, [None, None, 1])  # height, width, 1 channel
    return tf.image.resize(grey, [4, 4])


images = np.random.default_rng(0).random((6, 8, 8, 3), dtype=np.float32)
ds = tf.data.Dataset.from_tensor_slices(images).map(preprocess).batch(2)
print(ds.element_spec)
assert ds.element_spec.shape.as_list() == [None, 4, 4, 1]
batches = list(ds)
assert len(batches) == 3 and batches[0].shape == (2, 4, 4, 1)
# Resizing an 8x8 image to 4x4 (bilinear, no antialias) averages 2x2 blocks.
expected = images[:2].mean(axis=-1, keepdims=True)
expected = expected.reshape(2, 4, 2, 4, 2, 1).mean(axis=(2, 4))
np.testing.assert_allclose(batches[0].numpy(), expected, rtol=1e-5, atol=1e-6)
