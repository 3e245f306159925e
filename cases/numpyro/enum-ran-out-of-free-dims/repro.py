"""Parallel enumeration of 30 discrete sites written as a Python loop.

Every enumerated site gets a fresh tensor dimension for its values. NumPyro
allows at most 25 of them, so the 26th site (z25) fails. Needs funsor.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

# 30 points from two well separated clusters at -2 and +2
data = jnp.array([-2.1, 1.9, 2.2, -1.8] * 7 + [2.0, -2.0])


def model(data):
    p = numpyro.sample("p", dist.Beta(1.0, 1.0))
    for i in range(data.shape[0]):
        z = numpyro.sample(f"z{i}", dist.Bernoulli(p), infer={"enumerate": "parallel"})
        numpyro.sample(f"x{i}", dist.Normal(4.0 * z - 2.0, 1.0), obs=data[i])


mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=300, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), data)
print(mcmc.get_samples()["p"].mean())
