"""Fix: turn the value into a hashable Python scalar before the call.

int(...) (or .item()) on a concrete, eager array gives a plain Python int,
which can be hashed and used as a compile-time constant.
"""
from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="n")
def symmetric_range(n):
    return jnp.arange(-n, n)


data = jnp.array([3.0, -1.0, 4.0, 1.0, -5.0])
n = int(jnp.sum(data > 0))  # Python int: hashable
out = symmetric_range(n=n)
print(out)

assert isinstance(n, int) and n == 3
assert out.shape == (6,), out.shape
assert out.tolist() == [-3, -2, -1, 0, 1, 2], out.tolist()
