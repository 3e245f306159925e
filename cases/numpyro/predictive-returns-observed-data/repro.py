"""Posterior predictive checks that pass the data again get the data back.

`y` is passed to Predictive as it was to MCMC, so the site stays observed.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS, Predictive

y = jnp.array([1.2, 0.8, 1.1, 0.9, 1.0])


def model(n, y=None):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("data", n):
        numpyro.sample("y", dist.Normal(mu, 0.5), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=200, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), len(y), y)
predictive = Predictive(model, mcmc.get_samples())
y_rep = predictive(jax.random.PRNGKey(1), len(y), y)["y"]
print(y_rep.std(0))
assert float(y_rep.std(0).min()) > 0.1, "posterior predictive draws are copies of the data"
