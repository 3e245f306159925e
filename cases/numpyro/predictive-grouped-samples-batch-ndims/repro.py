"""Posterior predictive from samples grouped by chain, without batch_ndims.

Samples have shape (num_chains, num_samples). Predictive takes the first axis
as the sample axis, so each "sample" of b is a vector of 200 values, which
cannot broadcast against the 6 data points.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS, Predictive

x = jnp.linspace(0.0, 1.0, 6)
y = 2.0 * x + jnp.array([0.1, -0.2, 0.05, 0.15, -0.1, 0.0])


def model(x, y=None):
    b = numpyro.sample("b", dist.Normal(0.0, 5.0))
    s = numpyro.sample("s", dist.HalfNormal(1.0))
    with numpyro.plate("data", x.shape[0]):
        numpyro.sample("y", dist.Normal(b * x, s), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=200, num_chains=2,
            chain_method="sequential", progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), x, y)
samples = mcmc.get_samples(group_by_chain=True)  # leaves: (2, 200)

pred = Predictive(model, samples)(jax.random.PRNGKey(1), x)
print(pred["y"].shape)
