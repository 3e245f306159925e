"""Keep the sub-layers in a flat list, or wrap each block in a layer of its own.

Keras saves the layers found directly in a list attribute; here each block is a
keras.Sequential, so the outer list holds layers and every weight is saved.
"""
import os
import tempfile

import numpy as np
import keras


@keras.saving.register_keras_serializable(package="fixbook")
class BlockStack(keras.layers.Layer):
    def build(self, input_shape):
        # Each block is a layer itself, so the list holds layers, not lists.
        self.blocks = [
            keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(4)]),
            keras.Sequential([keras.layers.Dense(2)]),
        ]

    def call(self, x):
        for block in self.blocks:
            x = block(x)
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
np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-6)
assert len(restored.weights) == 6, len(restored.weights)  # 3 Dense layers: kernel + bias
for saved, loaded in zip(model.get_weights(), restored.get_weights()):
    np.testing.assert_array_equal(saved, loaded)
print("ok")
