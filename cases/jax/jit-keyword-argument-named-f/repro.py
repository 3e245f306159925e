"""A jitted function called with a keyword argument named `f` fails on JAX 0.4.36.

JAX's internal tracing helpers took the wrapped function as a parameter called
`f`, so the caller's `f=` keyword collided with it.
"""
import jax
import jax.numpy as jnp


def scale(x, f):
    return x * f


scaled = jax.jit(scale)(jnp.arange(3.0), f=2.0)  # the keyword is named `f`
print(scaled)
assert jnp.allclose(scaled, jnp.array([0.0, 2.0, 4.0]))
