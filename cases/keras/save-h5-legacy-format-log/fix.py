"""Save to the native .keras format and reload with keras.saving.load_model."""
import os
import tempfile

import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
model.fit(x, np.zeros((8, 2), "float32"), epochs=1, verbose=0)

path = os.path.join(tempfile.mkdtemp(), "model.keras")
model.save(path)

restored = keras.saving.load_model(path)
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
assert restored.optimizer.__class__ is keras.optimizers.Adam
assert int(keras.ops.convert_to_numpy(restored.optimizer.iterations)) == 1
print("ok")
