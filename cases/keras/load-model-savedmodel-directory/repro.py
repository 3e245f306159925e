"""Keras 3: load_model() refuses a TensorFlow SavedModel directory.

The directory here comes from model.export(); SavedModels written by tf.keras
(TensorFlow <= 2.15) with model.save("dir") are refused the same way.
"""
import os
import tempfile

import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
export_dir = os.path.join(tempfile.mkdtemp(), "classifier")
model.export(export_dir)  # a TensorFlow SavedModel directory

restored = keras.models.load_model(export_dir)  # raises ValueError
print(restored.predict(np.ones((1, 3), "float32")))
