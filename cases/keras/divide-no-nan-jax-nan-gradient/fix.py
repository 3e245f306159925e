"""Replace the zero denominators before dividing, then mask the result.

The division never sees a 0, so no inf or nan enters the gradient, and the
masked entries still give 0, as divide_no_nan promises.
"""
import jax
import numpy as np
import keras
from keras import ops

counts = np.array([2.0, 0.0, 4.0], "float32")  # one empty bucket


def safe_divide(x1, x2):
    safe_x2 = ops.where(x2 == 0, 1.0, x2)
    return ops.where(x2 == 0, 0.0, x1 / safe_x2)


def mean_per_bucket(totals):
    return ops.sum(safe_divide(totals, counts))


totals = np.array([3.0, 0.0, 2.0], "float32")
value = mean_per_bucket(totals)
grad = np.asarray(jax.grad(mean_per_bucket)(totals))
print("keras", keras.__version__, "value", float(value), "gradient", grad)

assert np.isclose(value, 3.0 / 2.0 + 2.0 / 4.0)
assert not np.isnan(grad).any(), f"divide_no_nan gradient is nan: {grad}"
np.testing.assert_allclose(grad, [0.5, 0.0, 0.25])
print("ok")
