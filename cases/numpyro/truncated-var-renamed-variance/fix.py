"""Mean and variance of a half-normal prior built as a TruncatedNormal.

From numpyro 0.22.0 the truncated distributions expose the variance under the
standard name `variance`, like every other distribution.
"""
import jax.numpy as jnp
import numpyro.distributions as dist

prior = dist.TruncatedNormal(loc=0.0, scale=1.0, low=0.0)
mean = prior.mean
var = prior.variance
print("mean", mean, "variance", var)

# A standard normal truncated at 0 has mean sqrt(2/pi) and variance 1 - 2/pi.
assert jnp.allclose(mean, jnp.sqrt(2.0 / jnp.pi), rtol=1e-5), mean
assert jnp.allclose(var, 1.0 - 2.0 / jnp.pi, rtol=1e-5), var
