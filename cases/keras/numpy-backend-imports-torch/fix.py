"""Run the same inference on the JAX backend, which never imports torch.

The NumPy backend needs jax installed anyway; selecting the JAX backend before
the first `import keras` works on keras 3.0.5 as well as on fixed releases.
The real fix is to upgrade to keras 3.1.0 or later (or pin 3.0.4).
"""
import os

os.environ["KERAS_BACKEND"] = "jax"  # must be set before keras is imported

import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, kernel_initializer="ones")])
x = np.arange(6, dtype="float32").reshape(2, 3)
pred = model.predict(x, verbose=0)
print("backend", keras.backend.backend(), "keras", keras.__version__, pred.tolist())
assert keras.backend.backend() == "jax"
np.testing.assert_allclose(pred, np.repeat(x.sum(axis=1, keepdims=True), 2, axis=1))
