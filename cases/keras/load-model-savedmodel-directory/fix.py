"""Reload the SavedModel as an inference-only layer with keras.layers.TFSMLayer.

The layer calls the SavedModel's serving signature; wrap it in a model to use
predict(). It cannot be re-trained or re-saved as .keras.
"""
import os
import tempfile

import numpy as np
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
export_dir = os.path.join(tempfile.mkdtemp(), "classifier")
model.export(export_dir)

# "serve" is the endpoint model.export() writes; SavedModels from tf.keras
# model.save() usually expose "serving_default" instead.
reloaded = keras.layers.TFSMLayer(export_dir, call_endpoint="serve")
inputs = keras.Input(shape=(3,))
wrapper = keras.Model(inputs, reloaded(inputs))

x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
np.testing.assert_allclose(wrapper.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
print("ok")
