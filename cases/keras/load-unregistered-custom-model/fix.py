"""Register the custom class so load_model can find it.

`@keras.saving.register_keras_serializable(package=...)` records the class
under "package>ClassName"; that name is written into the .keras file and looked
up when loading. The module defining the class must be imported before
load_model runs (here it is the same script; in a separate process, import it).
"""
import numpy as np
import keras


@keras.saving.register_keras_serializable(package="fixbook")
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


keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(32, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = TinyRegressor(units=4)
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
model.save("tiny.keras")

restored = keras.saving.load_model("tiny.keras")
assert type(restored) is TinyRegressor, type(restored)
assert restored.units == 4
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)

# Unregistered alternative: hand the class to the loader explicitly.
again = keras.saving.load_model(
    "tiny.keras", custom_objects={"fixbook>TinyRegressor": TinyRegressor})
np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
print("ok")
