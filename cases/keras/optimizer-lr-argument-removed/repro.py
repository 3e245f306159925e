"""Keras 3: the old `lr` keyword of the optimizers is an error.

Keras 2 accepted `lr` as a deprecated alias of `learning_rate` (and the TF 2.11
optimizers accepted it but ignored it); Keras 3 rejects unknown keywords.
"""
import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
optimizer = keras.optimizers.Adam(lr=1e-2)  # raises ValueError
model.compile(optimizer=optimizer, loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
