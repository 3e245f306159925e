"""Fix: call numpyro.set_host_device_count before any JAX computation.

Importing jax and numpyro is fine; what matters is that no array has been
created and no device queried before the call.
"""
import jax
import jax.numpy as jnp
import numpyro

numpyro.set_host_device_count(2)  # first thing, before any JAX work

data = jnp.array([0.3, -0.2, 0.5, 1.1])
data = (data - data.mean()) / data.std()

n = len(jax.devices("cpu"))
print("CPU devices:", n)
assert n == 2, f"expected 2 CPU devices, got {n}"

# The two devices really work in parallel: pmap over them.
out = jax.pmap(lambda x: x * 2.0, devices=jax.devices("cpu"))(jnp.arange(2.0))
assert out.tolist() == [0.0, 2.0], out.tolist()
