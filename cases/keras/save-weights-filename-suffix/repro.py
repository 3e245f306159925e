"""Keras 3: save_weights to a TF-checkpoint prefix (or a plain .h5 name) is an error.

tf.keras wrote a TensorFlow checkpoint for a name like "ckpt/model" and HDF5
for "*.h5"; Keras 3 writes one weights format and insists on its suffix.
"""
import os
import tempfile

import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), epochs=1, verbose=0)

ckpt_dir = tempfile.mkdtemp()
model.save_weights(os.path.join(ckpt_dir, "model-10.ckpt"))  # raises ValueError
