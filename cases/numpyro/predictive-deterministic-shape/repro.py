"""Predictive with posterior samples that contain a deterministic site.

The posterior samples include `mu`, a `numpyro.deterministic` site of shape
(num_samples, 100). numpyro 0.14 substitutes those stored values back into
the model, so predicting on 30 new points mixes a 100-long `mu` into a
30-long plate.
"""
import jax
import numpy as np
import numpyro
import numpyro.distributions as dist
from numpyro.infer import Predictive


def model(x, y=None):
    a = numpyro.sample("a", dist.Normal(0.0, 1.0))
    b = numpyro.sample("b", dist.Normal(0.0, 1.0))
    mu = numpyro.deterministic("mu", a + b * x)
    with numpyro.plate("data", x.shape[0]):
        numpyro.sample("y", dist.Normal(mu, 0.5), obs=y)


rng = np.random.default_rng(0)
x = rng.normal(size=100)
y = 1.0 + 2.0 * x + 0.5 * rng.normal(size=100)

# Stand-in for mcmc.get_samples() (same keys and shapes, no MCMC run to
# keep this fast): a: (50,), b: (50,), and the deterministic mu: (50, 100).
samples = Predictive(model, num_samples=50, return_sites=["a", "b", "mu"])(
    jax.random.PRNGKey(0), x)

x_new = np.linspace(-2.0, 2.0, 30)
pred = Predictive(model, samples)(jax.random.PRNGKey(1), x_new)
assert pred["y"].shape == (50, 30), f"y shape {pred['y'].shape}"
assert pred["mu"].shape == (50, 30), f"mu shape {pred['mu'].shape}"
