"""Fix: call jax.tree_util.tree_map (every JAX version) or jax.tree.map (0.4.25+)."""
import jax
import jax.numpy as jnp

params = {"dense": {"w": jnp.ones((2, 2)), "b": jnp.zeros(2)}, "scale": jnp.array(2.0)}
halved = jax.tree_util.tree_map(lambda p: p / 2, params)
print(halved)

assert float(halved["scale"]) == 1.0
assert jnp.allclose(halved["dense"]["w"], 0.5)
assert jax.tree_util.tree_structure(halved) == jax.tree_util.tree_structure(params)
