"""Pass every add_weight argument by keyword (name=..., shape=...).

Keyword arguments mean the same thing in Keras 2 and Keras 3.
"""
import numpy as np
import keras


class Linear(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform"
        )
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")

    def call(self, x):
        return x @ self.kernel + self.bias


model = keras.Sequential([keras.Input(shape=(3,)), Linear(2)])
x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
pred = model.predict(x, verbose=0)

layer = model.layers[-1]
assert [w.name for w in layer.weights] == ["kernel", "bias"], layer.weights
assert layer.kernel.shape == (3, 2) and layer.bias.shape == (2,)
kernel, bias = layer.get_weights()
np.testing.assert_allclose(pred, x @ kernel + bias, rtol=1e-5, atol=1e-6)
print("ok")
