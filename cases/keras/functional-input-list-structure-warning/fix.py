"""Declare the single input as a tensor, not as a list of one tensor.

keras.Model(inputs, outputs) expects exactly the bare array that fit() and
predict() receive, so no keras 3 release warns about the structure.
"""
import warnings

import numpy as np
import keras

# Any structure warning would now be a failure of this script.
warnings.filterwarnings("error", message="The structure of `inputs`")

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1)(inputs)
model = keras.Model(inputs, outputs)  # the input itself, not [inputs]
model.compile(optimizer="sgd", loss="mse")

x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
pred = model.predict(x, verbose=0)

kernel, bias = model.get_weights()
assert pred.shape == (16, 1), pred.shape
np.testing.assert_allclose(pred, x @ kernel + bias, rtol=1e-5, atol=1e-6)
print("ok")
