"""A SciPy root finder called through jax.pure_callback fails for a bad input.

brentq raises ValueError when the bracket does not contain a root. Inside
the compiled program that error becomes a JaxRuntimeError.
"""
import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import brentq


def _sqrt_host(c):
    return np.float32(brentq(lambda x: x * x - c, 0.0, 2.0))


@jax.jit
def solve(c):
    return jax.pure_callback(_sqrt_host, jax.ShapeDtypeStruct((), jnp.float32), c)


print(solve(9.0))  # the root 3.0 lies outside the bracket [0, 2]
