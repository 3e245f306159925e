"""Fix: enumerate z in the model (TraceEnum_ELBO) and hide it from the autoguide."""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro import handlers
from numpyro.infer import SVI, TraceEnum_ELBO
from numpyro.infer.autoguide import AutoNormal

y = jnp.array([-2.1, -1.9, -2.0, 2.2, 1.8, 2.0])


def model(y):
    w = numpyro.sample("w", dist.Beta(1.0, 1.0))
    loc = numpyro.sample("loc", dist.Normal(0.0, 5.0))
    with numpyro.plate("data", y.shape[0]):
        z = numpyro.sample("z", dist.Bernoulli(w), infer={"enumerate": "parallel"})
        numpyro.sample("y", dist.Normal(jnp.where(z == 1, loc, -loc), 0.5), obs=y)


guide = AutoNormal(handlers.block(model, hide=["z"]))
svi = SVI(model, guide, numpyro.optim.Adam(0.05), TraceEnum_ELBO())
result = svi.run(jax.random.PRNGKey(0), 500, y, progress_bar=False)
median = guide.median(result.params)
print(result.losses[-1], median)
assert abs(abs(float(median["loc"])) - 2.0) < 0.3, median
assert "z" not in median
