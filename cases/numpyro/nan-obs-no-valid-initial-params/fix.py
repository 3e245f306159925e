"""Fix: mask the missing entries out of the likelihood.

numpyro.handlers.mask drops the log-probability of masked-out elements. The
NaNs are also replaced by an arbitrary in-support value, so no NaN ever
enters a log-density computation.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([1.2, 0.7, jnp.nan, 2.1, 1.5])  # one missing measurement


def model(y):
    observed = ~jnp.isnan(y)
    y_filled = jnp.where(observed, y, 0.0)  # placeholder, never used
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    sigma = numpyro.sample("sigma", dist.HalfNormal(5.0))
    with numpyro.plate("data", y.shape[0]), numpyro.handlers.mask(mask=observed):
        numpyro.sample("obs", dist.Normal(mu, sigma), obs=y_filled)


mcmc = MCMC(NUTS(model), num_warmup=300, num_samples=500, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
mu = mcmc.get_samples()["mu"]
print(mu.mean())

assert mu.shape == (500,), mu.shape
assert bool(jnp.all(jnp.isfinite(mu)))
# The observed values have mean 1.375; the posterior mean of mu is close to it.
assert abs(float(mu.mean()) - 1.375) < 0.3, float(mu.mean())
