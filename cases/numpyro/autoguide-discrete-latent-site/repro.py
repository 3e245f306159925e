"""AutoNormal on a two-component mixture with a discrete assignment site.

The guide would need a continuous distribution for `z`, which AutoNormal
cannot build; SVI fails while initialising the guide.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import SVI, Trace_ELBO
from numpyro.infer.autoguide import AutoNormal

y = jnp.array([-2.1, -1.9, -2.0, 2.2, 1.8, 2.0])


def model(y):
    w = numpyro.sample("w", dist.Beta(1.0, 1.0))
    loc = numpyro.sample("loc", dist.Normal(0.0, 5.0))
    with numpyro.plate("data", y.shape[0]):
        z = numpyro.sample("z", dist.Bernoulli(w))
        numpyro.sample("y", dist.Normal(jnp.where(z == 1, loc, -loc), 0.5), obs=y)


guide = AutoNormal(model)
svi = SVI(model, guide, numpyro.optim.Adam(0.05), Trace_ELBO())
result = svi.run(jax.random.PRNGKey(0), 500, y, progress_bar=False)
print(result.losses[-1])
