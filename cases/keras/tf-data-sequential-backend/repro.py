"""A `keras.Sequential` of preprocessing layers inside `tf.data.Dataset.map`.

With a non-TensorFlow backend (here `KERAS_BACKEND=jax`), the Sequential
model converts its input to a JAX array. Inside `Dataset.map` that input is a
symbolic `tf.Tensor`, which cannot be converted.
"""
import keras
import numpy as np
import tensorflow as tf

assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"

augment = keras.Sequential([
    keras.layers.Rescaling(1.0 / 255),
    keras.layers.RandomFlip("horizontal", seed=0),
])

images = np.random.default_rng(0).integers(0, 256, size=(8, 4, 4, 3))
ds = tf.data.Dataset.from_tensor_slices(images.astype("float32")).batch(4)
ds = ds.map(augment)  # NotImplementedError while tracing the map function

for batch in ds:
    print(batch.shape)
