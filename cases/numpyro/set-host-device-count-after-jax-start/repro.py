"""numpyro.set_host_device_count called after JAX has run is ignored, without an error.

Any JAX computation (here: standardising the data) initialises the CPU
backend. Changing XLA_FLAGS afterwards does nothing, so there is still one
CPU device and MCMC(num_chains=2) would draw its chains one after the other.
"""
import jax
import jax.numpy as jnp
import numpyro

data = jnp.array([0.3, -0.2, 0.5, 1.1])
data = (data - data.mean()) / data.std()  # first JAX computation

numpyro.set_host_device_count(2)  # too late

n = len(jax.devices("cpu"))
print("CPU devices:", n)
assert n == 2, f"expected 2 CPU devices, got {n}"
