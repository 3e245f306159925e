"""A missing value (NaN) in the observed data breaks NUTS initialisation.

The model is fine; the data has one NaN. Its log-likelihood term is NaN for
every candidate parameter value, so no valid starting point exists.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([1.2, 0.7, jnp.nan, 2.1, 1.5])  # one missing measurement


def model(y):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    sigma = numpyro.sample("sigma", dist.HalfNormal(5.0))
    with numpyro.plate("data", y.shape[0]):
        numpyro.sample("obs", dist.Normal(mu, sigma), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=300, num_samples=500, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
print(mcmc.get_samples()["mu"].mean())
