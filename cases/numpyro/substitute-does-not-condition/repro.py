"""Observing a generative model's output with handlers.substitute.

substitute fixes the value of `y`, but `y` stays a latent site; NUTS samples
it like a parameter, the data never enter the density, and the posterior of
`mu` is the prior.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro import handlers
from numpyro.infer import MCMC, NUTS


def model():
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("data", 5):
        numpyro.sample("y", dist.Normal(mu, 1.0))


data = {"y": jnp.array([2.9, 3.1, 3.0, 2.8, 3.2])}
mcmc = MCMC(NUTS(handlers.substitute(model, data)), num_warmup=200, num_samples=200, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0))
mu = mcmc.get_samples()["mu"]
print("posterior mean", float(mu.mean()), "sd", float(mu.std()))
assert float(mu.std()) < 1.0, "the data did not inform the posterior"
