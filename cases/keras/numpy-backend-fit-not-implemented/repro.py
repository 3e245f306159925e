"""KERAS_BACKEND=numpy runs models but cannot train them.

The NumPy backend has no automatic differentiation; fit() raises
NotImplementedError after the model has been built and compiled without complaint.
"""
import numpy as np
import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], "float32")

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")  # accepted
print("backend", keras.backend.backend(), "predict ok", model.predict(x[:2], verbose=0).shape)
model.fit(x, y, epochs=5, verbose=0)  # NotImplementedError
