"""A subclassed keras.Model saved to .keras cannot be loaded unless its class is registered.

Saving works. Loading fails, even in the same script where the class is
defined: Keras 3 finds custom classes only through its serialization registry
(or `custom_objects`), never by looking at the caller's namespace.
"""
import numpy as np
import keras


class TinyRegressor(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


rng = np.random.default_rng(0)
x = rng.normal(size=(32, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = TinyRegressor(units=4)
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
model.save("tiny.keras")  # works

restored = keras.saving.load_model("tiny.keras")  # raises TypeError
