"""Fix: vectorise the independent discrete sites with numpyro.plate.

Inside a plate the 30 assignments are one site with batch shape (30,), and
enumeration needs a single extra dimension for all of them. Needs funsor.
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
    with numpyro.plate("data", data.shape[0]):
        z = numpyro.sample("z", dist.Bernoulli(p), infer={"enumerate": "parallel"})
        numpyro.sample("x", dist.Normal(4.0 * z - 2.0, 1.0), obs=data)


mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=300, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), data)
p = mcmc.get_samples()["p"]
print(p.mean())

assert p.shape == (300,), p.shape
# 15 of the 30 points belong to the +2 cluster: the posterior of p centres on 0.5.
assert abs(float(p.mean()) - 0.5) < 0.1, float(p.mean())
