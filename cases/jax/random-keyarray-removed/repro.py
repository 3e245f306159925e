"""jax.random.KeyArray no longer exists from JAX 0.4.24 on.

A helper annotated with the old key type fails as soon as it is defined,
because Python evaluates the annotation at definition time.
"""
import jax
import jax.numpy as jnp


def init_params(key: jax.random.KeyArray, n_in: int, n_out: int) -> dict:
    w_key, _ = jax.random.split(key)
    return {"w": jax.random.normal(w_key, (n_in, n_out)), "b": jnp.zeros(n_out)}


params = init_params(jax.random.PRNGKey(0), 3, 2)
print({name: p.shape for name, p in params.items()})
assert params["w"].shape == (3, 2)
