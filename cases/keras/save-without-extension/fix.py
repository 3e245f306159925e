"""Save to a `.keras` file and reload it with keras.saving.load_model.

The `.keras` archive holds the architecture, the weights and the compile state.
For serving (TF Serving, TFLite), export a SavedModel with model.export().
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
rng = np.random.default_rng(0)
x = rng.normal(size=(8, 3)).astype("float32")
model.fit(x, np.zeros((8, 2), "float32"), epochs=1, verbose=0)

model.save("model.keras")
restored = keras.saving.load_model("model.keras")

np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
for a, b in zip(restored.get_weights(), model.get_weights()):
    np.testing.assert_array_equal(a, b)
assert restored.optimizer is not None and restored.loss == "mse", restored.loss
print("ok")
