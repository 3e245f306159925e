"""Weights of layers kept in a nested list are not saved or loaded (keras before 3.15).

A custom layer holds its Dense layers as a list of blocks (a list of lists).
After model.save() and keras.saving.load_model() the reloaded model predicts
differently: the layers in the inner lists kept their fresh random weights.
"""
import os
import tempfile

import numpy as np
import keras


@keras.saving.register_keras_serializable(package="fixbook")
class BlockStack(keras.layers.Layer):
    def build(self, input_shape):
        # Two blocks of Dense layers: a list of lists.
        self.blocks = [[keras.layers.Dense(4), keras.layers.Dense(4)], [keras.layers.Dense(2)]]

    def call(self, x):
        for block in self.blocks:
            for layer in block:
                x = layer(x)
        return x


keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), BlockStack()])
x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
before = model.predict(x, verbose=0)

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
after = restored.predict(x, verbose=0)

print("max difference after reload:", np.abs(before - after).max())
assert np.allclose(before, after), "the reloaded model predicts differently: nested-list weights were not restored"
