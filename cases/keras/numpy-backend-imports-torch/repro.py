"""Inference on the NumPy backend, with only keras, numpy and jax installed.

keras 3.0.5 imported torch from the NumPy backend, so `import keras` with
KERAS_BACKEND=numpy failed on machines without PyTorch.
"""
import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, kernel_initializer="ones")])
x = np.arange(6, dtype="float32").reshape(2, 3)
pred = model.predict(x, verbose=0)
print("backend", keras.backend.backend(), "keras", keras.__version__, pred.tolist())
np.testing.assert_allclose(pred, np.repeat(x.sum(axis=1, keepdims=True), 2, axis=1))
