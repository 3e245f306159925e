"""Fix: tell Predictive that there are two batch dimensions.

With batch_ndims=2 the (num_chains, num_samples) layout is kept and the
predictions come back as (num_chains, num_samples, num_data).
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS, Predictive

x = jnp.linspace(0.0, 1.0, 6)
y = 2.0 * x + jnp.array([0.1, -0.2, 0.05, 0.15, -0.1, 0.0])


def model(x, y=None):
    b = numpyro.sample("b", dist.Normal(0.0, 5.0))
    s = numpyro.sample("s", dist.HalfNormal(1.0))
    with numpyro.plate("data", x.shape[0]):
        numpyro.sample("y", dist.Normal(b * x, s), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=200, num_chains=2,
            chain_method="sequential", progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), x, y)
samples = mcmc.get_samples(group_by_chain=True)  # leaves: (2, 200)

pred = Predictive(model, samples, batch_ndims=2)(jax.random.PRNGKey(1), x)
print(pred["y"].shape)

assert pred["y"].shape == (2, 200, 6), pred["y"].shape
# Predictions follow the fitted slope: the last point (x = 1) is near 2.
assert abs(float(pred["y"][..., -1].mean()) - 2.0) < 0.5, float(pred["y"][..., -1].mean())

# Equivalent: flat samples (the default layout) give (400, 6).
flat = Predictive(model, mcmc.get_samples())(jax.random.PRNGKey(1), x)
assert flat["y"].shape == (400, 6), flat["y"].shape
