"""Preprocessing with NumPy inside `Dataset.map` via `tf.py_function`.

TensorFlow cannot see into the Python function, so its output has unknown
shape, and `tf.image.resize` refuses it while the map function is traced.
"""
import numpy as np
import tensorflow as tf


def to_grey(img):  # arbitrary NumPy code
    return np.mean(img.numpy(), axis=-1, keepdims=True).astype(np.float32)


def preprocess(img):
    grey = tf.py_function(to_grey, [img], tf.float32)
    return tf.image.resize(grey, [4, 4])


images = np.random.default_rng(0).random((6, 8, 8, 3), dtype=np.float32)
ds = tf.data.Dataset.from_tensor_slices(images).map(preprocess).batch(2)
print(ds.element_spec)
