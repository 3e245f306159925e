"""jax.tree_map no longer exists from JAX 0.6.0 on.

Scaling every leaf of a parameter pytree with the old top-level alias
raises AttributeError on new releases (it only warned before).
"""
import jax
import jax.numpy as jnp

params = {"dense": {"w": jnp.ones((2, 2)), "b": jnp.zeros(2)}, "scale": jnp.array(2.0)}
halved = jax.tree_map(lambda p: p / 2, params)
print(halved)
assert float(halved["scale"]) == 1.0
