"""keras.ops.softmax over a tuple of non-adjacent axes does not sum to 1 (keras before 3.5).

A softmax over axes (0, 2) of a (2, 2, 2) tensor should give, for each index of
axis 1, four probabilities that sum to 1; older releases merged the wrong entries.
"""
import numpy as np
import keras
from keras import ops

x = np.arange(8, dtype="float32").reshape(2, 2, 2)
probs = ops.convert_to_numpy(ops.softmax(x, axis=(0, 2)))
sums = probs.sum(axis=(0, 2))
print("keras", keras.__version__, "sums over axes (0, 2):", sums)

expected = np.exp(x - x.max(axis=(0, 2), keepdims=True))
expected /= expected.sum(axis=(0, 2), keepdims=True)
assert np.allclose(sums, 1.0), f"softmax over axes (0, 2) does not sum to 1: {sums}"
np.testing.assert_allclose(probs, expected, rtol=1e-6)
