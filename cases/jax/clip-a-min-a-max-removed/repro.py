"""jnp.clip(x, a_min=..., a_max=...) fails from JAX 0.10.0 on.

The NumPy-1 keyword names were deprecated in JAX 0.4.27 and removed in
0.10.0. Here an overflow-safe exp clips its input from above.
"""
import jax.numpy as jnp


def safe_exp(x, max_value=20.0):
    return jnp.exp(jnp.clip(x, a_max=max_value))  # old keyword name


y = safe_exp(jnp.array([-1.0, 0.0, 500.0]))
print(y)
assert bool(jnp.all(jnp.isfinite(y)))
