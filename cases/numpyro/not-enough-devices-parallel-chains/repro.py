"""Two chains with the default chain_method='parallel' on a one-device CPU.

NumPyro warns that it will draw the chains sequentially, then does so.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([1.2, 0.8, 1.1, 0.9, 1.0])


def model(y):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("data", y.shape[0]):
        numpyro.sample("y", dist.Normal(mu, 0.5), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, num_chains=2, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
mu = mcmc.get_samples(group_by_chain=True)["mu"]
print(mu.shape, float(mu.mean()))
assert mu.shape == (2, 100)
