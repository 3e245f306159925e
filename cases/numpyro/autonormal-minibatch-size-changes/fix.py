"""SVI with AutoNormal on minibatches of 10, 10 and 5 rows (a short last batch).

create_plates tells the guide how to build the subsampled plate from the
model's arguments, so each step uses the size of its own batch.
"""
import jax
import numpyro
import numpyro.distributions as dist
from numpyro.infer import SVI, Trace_ELBO
from numpyro.infer.autoguide import AutoNormal

N = 25
x = 2.0 + jax.random.normal(jax.random.PRNGKey(0), (N,))


def model(batch):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("data", N, subsample_size=batch.shape[0]):
        numpyro.sample("obs", dist.Normal(mu, 1.0), obs=batch)


def create_plates(batch):
    return numpyro.plate("data", N, subsample_size=batch.shape[0])


guide = AutoNormal(model, create_plates=create_plates)
svi = SVI(model, guide, numpyro.optim.Adam(0.1), Trace_ELBO())
state = svi.init(jax.random.PRNGKey(1), x[:10])
update = jax.jit(svi.update)
for epoch in range(100):
    for start in range(0, N, 10):  # batches x[0:10], x[10:20], x[20:25]
        state, loss = update(state, x[start : start + 10])

mu = svi.get_params(state)["mu_auto_loc"]
print("posterior mean of mu:", mu, "data mean:", x.mean())
assert abs(float(mu) - float(x.mean())) < 0.3, (float(mu), float(x.mean()))
