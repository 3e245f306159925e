"""Normalise with logsumexp over the same axes instead of a tuple-axis softmax.

exp(x - logsumexp(x, axes)) is the softmax over those axes; logsumexp reduces a
tuple of axes correctly, so the probabilities sum to 1 on every keras 3 release.
"""
import numpy as np
import keras
from keras import ops

x = np.arange(8, dtype="float32").reshape(2, 2, 2)
probs = ops.convert_to_numpy(ops.exp(x - ops.logsumexp(x, axis=(0, 2), keepdims=True)))
sums = probs.sum(axis=(0, 2))
print("keras", keras.__version__, "sums over axes (0, 2):", sums)

expected = np.exp(x - x.max(axis=(0, 2), keepdims=True))
expected /= expected.sum(axis=(0, 2), keepdims=True)
assert np.allclose(sums, 1.0), f"softmax over axes (0, 2) does not sum to 1: {sums}"
np.testing.assert_allclose(probs, expected, rtol=1e-6)
print("ok")
