"""keras.ops.divide_no_nan has nan gradients on JAX where the denominator is 0 (keras before 3.5).

The forward value is 0 where the count is 0, as documented, but jax.grad of a
sum built on it is nan for that entry, and one nan gradient spreads to the
weights in a training step.
"""
import jax
import numpy as np
import keras
from keras import ops

counts = np.array([2.0, 0.0, 4.0], "float32")  # one empty bucket


def mean_per_bucket(totals):
    return ops.sum(ops.divide_no_nan(totals, counts))


totals = np.array([3.0, 0.0, 2.0], "float32")
value = mean_per_bucket(totals)
grad = np.asarray(jax.grad(mean_per_bucket)(totals))
print("keras", keras.__version__, "value", float(value), "gradient", grad)

assert np.isclose(value, 3.0 / 2.0 + 2.0 / 4.0)
assert not np.isnan(grad).any(), f"divide_no_nan gradient is nan: {grad}"
np.testing.assert_allclose(grad, [0.5, 0.0, 0.25])
