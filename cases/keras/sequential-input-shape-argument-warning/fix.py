"""Start the Sequential model with keras.Input(shape=...).

The model is built at construction exactly as before, with no warning.
"""
import warnings

import numpy as np
import keras

warnings.filterwarnings("error", message="Do not pass an `input_shape`")

model = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)

assert model.built
assert model.input_shape == (None, 3), model.input_shape
assert model.output_shape == (None, 1), model.output_shape
assert model.count_params() == 3 * 8 + 8 + 8 + 1, model.count_params()
print("ok")
