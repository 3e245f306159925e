"""Fix: differentiate with respect to a floating-point value.

Pass 2.0 instead of 2 (or cast an integer array with .astype(jnp.float32)).
"""
import jax
import jax.numpy as jnp

dtanh = jax.grad(jnp.tanh)
g = dtanh(2.0)
print(g)

expected = 1.0 - jnp.tanh(2.0) ** 2
assert g.dtype == jnp.float32, g.dtype
assert jnp.allclose(g, expected), (g, expected)

# Integer data from elsewhere: cast before differentiating.
xs = jnp.arange(3)  # int32
gs = jax.vmap(dtanh)(xs.astype(jnp.float32))
assert jnp.allclose(gs, 1.0 - jnp.tanh(jnp.arange(3.0)) ** 2), gs
