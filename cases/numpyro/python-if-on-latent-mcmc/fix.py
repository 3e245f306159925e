"""Fix: express the branch with jnp.where, which works on traced values.

Both branches are computed and jnp.where selects elementwise, so the model is
a pure JAX function that jit can trace.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([0.5, 1.2, -0.3, 0.8, 1.9, 0.1])


def model(y):
    mu = numpyro.sample("mu", dist.Normal(0.0, 1.0))
    scale = jnp.where(mu > 0, 1.0, 2.0)
    with numpyro.plate("data", y.shape[0]):
        numpyro.sample("obs", dist.Normal(mu, scale), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=300, num_samples=500, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
mu = mcmc.get_samples()["mu"]
print(mu.mean())

assert mu.shape == (500,), mu.shape
assert bool(jnp.all(jnp.isfinite(mu)))
# Data mean is 0.7; with scale 1 and a N(0, 1) prior the posterior mean is 0.6.
assert 0.3 < float(mu.mean()) < 0.9, float(mu.mean())
