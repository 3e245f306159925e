"""Fix: annotate keys as jax.Array (both raw and typed keys are jax.Array)."""
import jax
import jax.numpy as jnp


def init_params(key: jax.Array, n_in: int, n_out: int) -> dict:
    w_key, _ = jax.random.split(key)
    return {"w": jax.random.normal(w_key, (n_in, n_out)), "b": jnp.zeros(n_out)}


params = init_params(jax.random.PRNGKey(0), 3, 2)
print({name: p.shape for name, p in params.items()})
assert params["w"].shape == (3, 2)
assert params["b"].shape == (2,) and float(params["b"].sum()) == 0.0
assert bool(jnp.all(jnp.isfinite(params["w"])))
