"""A TruncatedNormal prior built once, outside the model, then used twice.

The prior predictive run traces the model, and the distribution caches a
traced value in one of its lazy properties. The next run reads that stale
tracer and fails with UnexpectedTracerError (numpyro < 0.15.3). On fixed
releases the script runs to the end.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS, Predictive

prior = dist.TruncatedNormal(loc=0.0, scale=1.0, low=0.0)  # shared instance
y = jnp.array([0.8, 1.1, 1.4])


def model(y=None):
    mu = numpyro.sample("mu", prior)
    with numpyro.plate("data", 3):
        numpyro.sample("y", dist.Normal(mu, 1.0), obs=y)


prior_draws = Predictive(model, num_samples=100)(jax.random.PRNGKey(0))
assert prior_draws["y"].shape == (100, 3)

mcmc = MCMC(NUTS(model), num_warmup=500, num_samples=1000, progress_bar=False)
mcmc.run(jax.random.PRNGKey(1), y=y)
mu = mcmc.get_samples()["mu"]
print(mu.mean())
# Posterior: N(0.825, 0.5**2) truncated at 0, whose mean is about 0.879.
assert abs(float(mu.mean()) - 0.879) < 0.1, float(mu.mean())
