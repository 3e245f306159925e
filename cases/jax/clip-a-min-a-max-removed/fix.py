"""Fix: pass the bounds by position, which every JAX release accepts."""
import jax.numpy as jnp


def safe_exp(x, max_value=20.0):
    return jnp.exp(jnp.clip(x, None, max_value))  # (x, min, max) by position


y = safe_exp(jnp.array([-1.0, 0.0, 500.0]))
print(y)
assert bool(jnp.all(jnp.isfinite(y)))
assert jnp.allclose(y, jnp.exp(jnp.array([-1.0, 0.0, 20.0])))
