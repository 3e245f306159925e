"""Build the per-group Normals as one batched distribution, without jax.vmap.

Distribution parameters broadcast: passing the arrays directly gives a
Normal with batch shape (3,), which validation checks without a TypeError.
"""
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist

numpyro.enable_validation()

locs = jnp.array([0.0, 1.0, -1.0])
scales = jnp.array([1.0, 2.0, 0.5])
priors = dist.Normal(locs, scales)
assert priors.batch_shape == (3,), priors.batch_shape

values = jnp.array([0.5, 0.5, 0.5])
log_prob = priors.log_prob(values)
print("log densities:", log_prob)
expected = -0.5 * ((values - locs) / scales) ** 2 - jnp.log(scales) - 0.5 * jnp.log(2 * jnp.pi)
assert jnp.allclose(log_prob, expected, rtol=1e-5), (log_prob, expected)
