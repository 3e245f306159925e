"""Keras 3: saving to .h5 works but logs that HDF5 is a legacy format.

The message goes through absl logging to stderr on every save, e.g. once per
epoch from a ModelCheckpoint callback writing .h5 files.
"""
import os
import tempfile

import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), epochs=1, verbose=0)

path = os.path.join(tempfile.mkdtemp(), "model.h5")
model.save(path)  # WARNING:absl:You are saving your model as an HDF5 file ...
print("saved", os.path.getsize(path), "bytes")
