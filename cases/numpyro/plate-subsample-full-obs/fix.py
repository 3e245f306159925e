"""Fix: take the minibatch that the plate chose with numpyro.subsample."""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import SVI, Trace_ELBO
from numpyro.infer.autoguide import AutoNormal

data = jnp.linspace(0.0, 2.0, 100)


def model(data):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("N", data.shape[0], subsample_size=10):
        batch = numpyro.subsample(data, event_dim=0)
        numpyro.sample("y", dist.Normal(mu, 1.0), obs=batch)


guide = AutoNormal(model)
svi = SVI(model, guide, numpyro.optim.Adam(0.05), Trace_ELBO())
result = svi.run(jax.random.PRNGKey(0), 1000, data, progress_bar=False)
mu = float(guide.median(result.params)["mu"])
print(mu)
assert abs(mu - 1.0) < 0.2, mu  # the mean of the data
