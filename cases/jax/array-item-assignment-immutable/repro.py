"""NumPy-style in-place assignment on a JAX array raises TypeError."""
import jax.numpy as jnp

x = jnp.zeros(5)
x[0] = 1.0
x[2:4] += 2.0
print(x)
