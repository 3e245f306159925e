"""Build one Normal per group with jax.vmap while validation is enabled.

Distributions are JAX pytrees, so jax.vmap can return a batched one; but with
argument validation on, vmap rebuilds it from placeholder objects and the
check `scale > 0` fails with a TypeError (numpyro < 0.14.0).
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist

numpyro.enable_validation()

locs = jnp.array([0.0, 1.0, -1.0])
scales = jnp.array([1.0, 2.0, 0.5])
priors = jax.vmap(dist.Normal)(locs, scales)  # TypeError on numpyro < 0.14.0

values = jnp.array([0.5, 0.5, 0.5])
log_prob = priors.log_prob(values)
print("log densities:", log_prob)
expected = -0.5 * ((values - locs) / scales) ** 2 - jnp.log(scales) - 0.5 * jnp.log(2 * jnp.pi)
assert jnp.allclose(log_prob, expected, rtol=1e-5), (log_prob, expected)
