"""jax.device_put_replicated was removed in JAX 0.10.0.

Data-parallel code written for pmap copies the parameters to every local
device with it; new releases raise AttributeError.
"""
import jax
import jax.numpy as jnp

devices = jax.local_devices()
params = {"w": jnp.ones(3), "b": jnp.array(0.5)}
replicated = jax.device_put_replicated(params, devices)  # one copy per device


@jax.pmap
def predict(p, x):
    return x @ p["w"] + p["b"]


batch = jnp.ones((len(devices), 3))
out = predict(replicated, batch)
print(out)
assert jnp.allclose(out, 3.5)
