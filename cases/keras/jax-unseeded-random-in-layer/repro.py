"""Keras 3 on JAX: an unseeded keras.random op inside a layer's call() is rejected.

The layer works on the TensorFlow backend. On JAX, Keras traces call() with
jax.jit; an unseeded random op would be frozen into a constant during tracing,
so Keras raises as soon as the layer is built.
"""
import numpy as np
import keras


class GaussianJitter(keras.layers.Layer):
    def call(self, x):
        return x + 0.1 * keras.random.normal(keras.ops.shape(x))


print("keras", keras.__version__, "backend", keras.backend.backend())
model = keras.Sequential([keras.Input(shape=(3,)), GaussianJitter()])  # raises on JAX
print(model.predict(np.zeros((4, 3), "float32"), verbose=0))
