"""Fix: take the sentinel from the dtype JAX actually uses."""
import jax.numpy as jnp

INF = jnp.iinfo(jnp.int32).max
dist = jnp.full(4, INF, dtype=jnp.int32)
dist = dist.at[0].set(0)
print(dist, dist.dtype)
assert int(dist[1]) == 2**31 - 1, f"sentinel wrapped to {int(dist[1])}"
assert int(jnp.argmin(dist)) == 0, "a node that was never reached has the smallest distance"
