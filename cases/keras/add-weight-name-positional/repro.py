"""Keras 3: add_weight's first positional parameter is `shape`, not `name`.

Keras 2 layers commonly wrote self.add_weight("kernel", shape=...). In Keras 3
the string lands on `shape` and the call fails when the layer is built.
"""
import numpy as np
import keras


class Linear(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(  # raises when the layer is built
            "kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform"
        )
        self.bias = self.add_weight("bias", shape=(self.units,), initializer="zeros")

    def call(self, x):
        return x @ self.kernel + self.bias


model = keras.Sequential([keras.Input(shape=(3,)), Linear(2)])
print(model.predict(np.ones((4, 3), "float32"), verbose=0))
