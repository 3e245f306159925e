"""Give the subclassed model a build() that builds its sublayers.

Now model.build((None, 3)) creates every weight, summary() shows the real
parameter count, and the model can be used (or have weights loaded) right away.
"""
import numpy as np
import keras


class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.head = keras.layers.Dense(1)

    def build(self, input_shape):
        self.hidden.build(input_shape)
        self.head.build(self.hidden.compute_output_shape(input_shape))

    def call(self, x):
        return self.head(self.hidden(x))


model = MLP()
model.build((None, 3))
model.summary()

assert len(model.weights) == 4, model.weights
assert model.count_params() == 3 * 8 + 8 + 8 + 1, model.count_params()
x = np.ones((2, 3), "float32")
assert model(x).shape == (2, 1)
print("ok")
