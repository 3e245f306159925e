"""Workaround where numpyro cannot be upgraded to 0.15.3: run the parallel chains without
the progress bar, the one part of MCMC that used jax.experimental.host_callback."""
import numpyro

numpyro.set_host_device_count(2)  # before any JAX computation

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpyro.distributions as dist  # noqa: E402
from numpyro.infer import MCMC, NUTS  # noqa: E402

y = jnp.array([1.2, 0.8, 1.1, 0.9, 1.0])


def model(y):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("data", y.shape[0]):
        numpyro.sample("y", dist.Normal(mu, 0.5), obs=y)


assert jax.local_device_count() == 2, jax.local_device_count()
mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=200, num_chains=2, chain_method="parallel", progress_bar=False)  # noqa: E501
mcmc.run(jax.random.PRNGKey(0), y)
mu = mcmc.get_samples(group_by_chain=True)["mu"]
print(mu.shape, float(mu.mean()))
assert mu.shape == (2, 200)
# Conjugate normal model: data precision n / sigma^2 = 5 / 0.5^2 = 20, prior precision
# 1 / 10^2 = 0.01, so the posterior mean is 20 * 1.0 / (20 + 0.01) = 0.9995 (sd 0.22).
assert abs(float(mu.mean()) - 0.9995) < 0.1, float(mu.mean())
