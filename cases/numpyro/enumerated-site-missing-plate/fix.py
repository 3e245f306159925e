"""Fix: declare the data dimension with numpyro.plate around the local sites."""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([0.1, 2.9, 3.2])


def model(y):
    p = numpyro.sample("p", dist.Beta(1.0, 1.0))
    with numpyro.plate("data", y.shape[0]):
        z = numpyro.sample("z", dist.Bernoulli(p), infer={"enumerate": "parallel"})
        numpyro.sample("y", dist.Normal(3.0 * z, 0.5), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
p = mcmc.get_samples()["p"]
print(float(p.mean()))
assert p.shape == (100,)
# Two of three points belong to the component at 3: Beta(1+2, 1+1) has mean 0.6.
assert 0.4 < float(p.mean()) < 0.8, float(p.mean())
