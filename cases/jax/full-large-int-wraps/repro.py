"""An 'infinite' integer sentinel made with sys.maxsize wraps to -1 in JAX.

Without jax_enable_x64 integer arrays are int32; the Python int does not fit
and jnp.full stores -1, so every node looks closer than the real ones.
"""
import sys

import jax.numpy as jnp

dist = jnp.full(4, sys.maxsize)  # "not reached yet"
dist = dist.at[0].set(0)
print(dist, dist.dtype)
assert int(dist[1]) > 0, f"sentinel wrapped to {int(dist[1])}"
assert int(jnp.argmin(dist)) == 0, "a node that was never reached has the smallest distance"
