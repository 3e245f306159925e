"""Use keras.ops, which accepts KerasTensors and records a node in the graph.

keras.ops.mean works on every backend; the model is built, trains and saves
like any other Functional model.
"""
import os
import tempfile

import numpy as np
import keras

tokens = keras.Input(shape=(5,), dtype="int32")
embedded = keras.layers.Embedding(input_dim=20, output_dim=4)(tokens)
pooled = keras.ops.mean(embedded, axis=1)
outputs = keras.layers.Dense(1)(pooled)
model = keras.Model(tokens, outputs)

x = np.random.default_rng(0).integers(0, 20, size=(6, 5)).astype("int32")
pred = model.predict(x, verbose=0)

table = model.layers[1].get_weights()[0]
kernel, bias = model.layers[-1].get_weights()
expected = table[x].mean(axis=1) @ kernel + bias
np.testing.assert_allclose(pred, expected, rtol=1e-5, atol=1e-6)

path = os.path.join(tempfile.mkdtemp(), "pooled.keras")
model.save(path)
np.testing.assert_allclose(keras.saving.load_model(path).predict(x, verbose=0), pred, rtol=1e-6)
print("ok")
