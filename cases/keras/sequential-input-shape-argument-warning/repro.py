"""Keras 3: giving the first layer `input_shape=` warns on every model built this way.

The Keras 2 idiom still works, but Keras 3 prefers an explicit Input object and
emits a UserWarning from the layer constructor.
"""
import numpy as np
import keras

model = keras.Sequential(
    [
        keras.layers.Dense(8, activation="relu", input_shape=(3,)),  # UserWarning
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
print("input shape", model.input_shape)
