"""Mean and variance of a half-normal prior built as a TruncatedNormal.

numpyro 0.22.0 renamed the `var` property of the truncated distributions to
`variance`, the name every other distribution uses; `.var` now fails.
"""
import jax.numpy as jnp
import numpyro.distributions as dist

prior = dist.TruncatedNormal(loc=0.0, scale=1.0, low=0.0)
mean = prior.mean
var = prior.var  # AttributeError on numpyro >= 0.22.0
print("mean", mean, "variance", var)

# A standard normal truncated at 0 has mean sqrt(2/pi) and variance 1 - 2/pi.
assert jnp.allclose(mean, jnp.sqrt(2.0 / jnp.pi), rtol=1e-5), mean
assert jnp.allclose(var, 1.0 - 2.0 / jnp.pi, rtol=1e-5), var
