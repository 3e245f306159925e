"""Predictive on new data, with the deterministic sites left out.

Drop the deterministic sites from the posterior samples before building
`Predictive`. The model then recomputes `mu` from `a`, `b` and the new `x`.
This works on every numpyro release.
"""
import jax
import numpy as np
import numpyro
import numpyro.distributions as dist
from numpyro import handlers
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

# Names of the model's deterministic sites, read from one trace of the model.
trace = handlers.trace(handlers.seed(model, 0)).get_trace(x, y)
deterministic = {k for k, site in trace.items() if site["type"] == "deterministic"}
assert deterministic == {"mu"}, deterministic
latent = {k: v for k, v in samples.items() if k not in deterministic}

x_new = np.linspace(-2.0, 2.0, 30)
pred = Predictive(model, latent)(jax.random.PRNGKey(1), x_new)
assert pred["y"].shape == (50, 30), f"y shape {pred['y'].shape}"
assert pred["mu"].shape == (50, 30), f"mu shape {pred['mu'].shape}"
expected_mu = samples["a"][:, None] + samples["b"][:, None] * x_new
np.testing.assert_allclose(pred["mu"], expected_mu, rtol=1e-5, atol=1e-5)
print("ok: y", pred["y"].shape, "mu", pred["mu"].shape)
