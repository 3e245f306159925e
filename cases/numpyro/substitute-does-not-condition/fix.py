"""Fix: use handlers.condition, which turns the sites into observed sites."""
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
mcmc = MCMC(NUTS(handlers.condition(model, data)), num_warmup=200, num_samples=200, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0))
mu = mcmc.get_samples()["mu"]
print("posterior mean", float(mu.mean()), "sd", float(mu.std()))
assert float(mu.std()) < 1.0, "the data did not inform the posterior"
# Conjugate answer: mean ~ 3.0, sd ~ 1/sqrt(5) = 0.45.
assert abs(float(mu.mean()) - 3.0) < 0.3 and 0.3 < float(mu.std()) < 0.6, (mu.mean(), mu.std())
assert "y" not in mcmc.get_samples()  # observed, not sampled
