"""keras.ops.logsumexp returns nan instead of -inf for a fully masked row (JAX backend).

Padding is masked with -inf before a log-sum-exp; a row with no valid entry
should give log(0) = -inf, but keras < 3.7 returns nan on the JAX backend.
"""
import numpy as np
import keras
from keras import ops

scores = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], "float32")
valid = np.array([[True, True, False], [False, False, False]])  # row 2: nothing valid

masked = ops.where(valid, scores, -np.inf)
log_norm = ops.convert_to_numpy(ops.logsumexp(masked, axis=1))
print("keras", keras.__version__, "logsumexp per row:", log_norm)

expected = np.array([np.log(np.exp(1.0) + np.exp(2.0)), -np.inf], "float32")
assert not np.isnan(log_norm).any(), f"logsumexp of a fully masked row is nan: {log_norm}"
np.testing.assert_allclose(log_norm, expected, rtol=1e-6)
