"""A vector of enumerated Bernoulli assignments built with .expand, without a plate.

The site has batch shape (3,), but no plate declares that dimension, so
enumeration cannot place its own dimension to the left of it.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([0.1, 2.9, 3.2])


def model(y):
    p = numpyro.sample("p", dist.Beta(1.0, 1.0))
    z = numpyro.sample("z", dist.Bernoulli(p).expand([3]), infer={"enumerate": "parallel"})
    numpyro.sample("y", dist.Normal(3.0 * z, 0.5), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
print(float(mcmc.get_samples()["p"].mean()))
