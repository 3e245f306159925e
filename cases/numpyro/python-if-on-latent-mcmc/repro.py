"""A Python `if` on a latent sample value breaks NUTS.

Initialisation runs the model eagerly and succeeds; the sampler itself runs
the model under jit, where `mu > 0` is an abstract tracer with no truth value.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([0.5, 1.2, -0.3, 0.8, 1.9, 0.1])


def model(y):
    mu = numpyro.sample("mu", dist.Normal(0.0, 1.0))
    if mu > 0:  # Python control flow on a traced value
        scale = 1.0
    else:
        scale = 2.0
    with numpyro.plate("data", y.shape[0]):
        numpyro.sample("obs", dist.Normal(mu, scale), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=300, num_samples=500, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
print(mcmc.get_samples()["mu"].mean())
