"""Fix: construct the distribution inside the model.

A fresh distribution object per model call cannot carry a cached value from
one JAX transformation into the next. Works on every release.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS, Predictive

y = jnp.array([0.8, 1.1, 1.4])


def model(y=None):
    mu = numpyro.sample("mu", dist.TruncatedNormal(loc=0.0, scale=1.0, low=0.0))
    with numpyro.plate("data", 3):
        numpyro.sample("y", dist.Normal(mu, 1.0), obs=y)


prior_draws = Predictive(model, num_samples=100)(jax.random.PRNGKey(0))
assert prior_draws["y"].shape == (100, 3)
assert bool(jnp.all(prior_draws["mu"] >= 0.0))

mcmc = MCMC(NUTS(model), num_warmup=500, num_samples=1000, progress_bar=False)
mcmc.run(jax.random.PRNGKey(1), y=y)
mu = mcmc.get_samples()["mu"]
print(mu.mean())

assert mu.shape == (1000,), mu.shape
assert bool(jnp.all(mu >= 0.0))
# Posterior: N(0.825, 0.5**2) truncated at 0, whose mean is about 0.879.
assert abs(float(mu.mean()) - 0.879) < 0.1, float(mu.mean())
