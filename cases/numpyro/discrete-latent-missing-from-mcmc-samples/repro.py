"""The cluster assignments of a mixture are not among the MCMC samples.

NUTS marginalises the enumerated site `z`, so get_samples() holds only `w`.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([-2.1, -1.9, -2.0, 2.2, 1.8, 2.0])


def model(y):
    w = numpyro.sample("w", dist.Beta(1.0, 1.0))
    with numpyro.plate("data", y.shape[0]):
        z = numpyro.sample("z", dist.Bernoulli(w), infer={"enumerate": "parallel"})
        numpyro.sample("y", dist.Normal(jnp.where(z == 1, 2.0, -2.0), 0.5), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
samples = mcmc.get_samples()
print(sorted(samples))
assignments = samples["z"].mean(0)
print(assignments)
