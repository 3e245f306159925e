"""Guard the fully masked rows: shift by a finite maximum, as stable LSE code does.

Replacing a -inf row maximum by 0 before subtracting avoids -inf - (-inf) = nan;
log(0) then gives -inf as it should. Works on every keras 3 release and backend.
"""
import numpy as np
import keras
from keras import ops


def masked_logsumexp(x, axis):
    x_max = ops.max(x, axis=axis, keepdims=True)
    x_max = ops.where(ops.isfinite(x_max), x_max, 0.0)
    total = ops.sum(ops.exp(x - x_max), axis=axis)
    return ops.log(total) + ops.squeeze(x_max, axis=axis)


scores = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], "float32")
valid = np.array([[True, True, False], [False, False, False]])  # row 2: nothing valid

masked = ops.where(valid, scores, -np.inf)
log_norm = ops.convert_to_numpy(masked_logsumexp(masked, axis=1))
print("keras", keras.__version__, "logsumexp per row:", log_norm)

expected = np.array([np.log(np.exp(1.0) + np.exp(2.0)), -np.inf], "float32")
np.testing.assert_allclose(log_norm, expected, rtol=1e-6)

# A single-row batch keeps its batch axis.
one = ops.convert_to_numpy(masked_logsumexp(masked[:1], axis=1))
assert one.shape == (1,), one.shape
print("ok")
