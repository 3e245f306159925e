"""Fix: upgrade to jax 0.4.37, or pass the argument by position."""
import jax
import jax.numpy as jnp


def scale(x, f):
    return x * f


scaled = jax.jit(scale)(jnp.arange(3.0), 2.0)  # positional: no keyword named `f`
print(scaled)
assert jnp.allclose(scaled, jnp.array([0.0, 2.0, 4.0]))
assert scaled.shape == (3,)
