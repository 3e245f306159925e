"""SVI with AutoNormal on minibatches of 10, 10 and 5 rows (a short last batch).

Before numpyro 0.17.0 the guide remembers the subsampled plate of the observed
site at the size of the first batch, and the step on the short batch fails.
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


guide = AutoNormal(model)
svi = SVI(model, guide, numpyro.optim.Adam(0.1), Trace_ELBO())
state = svi.init(jax.random.PRNGKey(1), x[:10])
update = jax.jit(svi.update)
for epoch in range(100):
    for start in range(0, N, 10):  # batches x[0:10], x[10:20], x[20:25]
        state, loss = update(state, x[start : start + 10])  # fails on the 5-row batch

mu = svi.get_params(state)["mu_auto_loc"]
print("posterior mean of mu:", mu, "data mean:", x.mean())
assert abs(float(mu) - float(x.mean())) < 0.3, (float(mu), float(x.mean()))
