"""Keras 3: model.save("model") without an extension is an error.

In tf.keras (Keras 2) a path without an extension wrote a TensorFlow SavedModel
directory. Keras 3 no longer saves SavedModels through model.save() and
requires a `.keras` (or legacy `.h5`) file name.
"""
import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), epochs=1, verbose=0)

model.save("model")  # raises ValueError
