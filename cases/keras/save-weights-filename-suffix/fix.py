"""Name the weights file `*.weights.h5` and load it back into a fresh model."""
import os
import tempfile

import numpy as np
import keras


def make_model():
    return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])


model = make_model()
model.compile(optimizer="adam", loss="mse")
x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
model.fit(x, np.zeros((8, 2), "float32"), epochs=1, verbose=0)

ckpt_dir = tempfile.mkdtemp()
path = os.path.join(ckpt_dir, "model-10.weights.h5")
model.save_weights(path)

restored = make_model()
restored.load_weights(path)
for a, b in zip(restored.get_weights(), model.get_weights()):
    np.testing.assert_array_equal(a, b)
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))
print("ok")
