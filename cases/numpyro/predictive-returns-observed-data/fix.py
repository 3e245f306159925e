"""Fix: call Predictive with the observations left out (y=None)."""
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
y_rep = predictive(jax.random.PRNGKey(1), len(y))["y"]
print(y_rep.std(0))
assert y_rep.shape == (200, 5), y_rep.shape
assert float(y_rep.std(0).min()) > 0.1, "posterior predictive draws are copies of the data"
# Predictive spread: sqrt(0.5**2 + posterior var of mu) is a bit above 0.5.
assert 0.4 < float(y_rep.std()) < 0.8, float(y_rep.std())
