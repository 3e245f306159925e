"""NUTS on a two-component mixture with an unmarked discrete assignment warns.

The Bernoulli site `z` is not marked for enumeration; NUTS enumerates it
anyway and emits a FutureWarning. The run itself completes.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

y = jnp.array([-2.1, -1.9, -2.0, 2.2, 1.8, 2.0])


def model(y):
    w = numpyro.sample("w", dist.Beta(1.0, 1.0))
    with numpyro.plate("data", y.shape[0]):
        z = numpyro.sample("z", dist.Bernoulli(w))
        numpyro.sample("y", dist.Normal(jnp.where(z == 1, 2.0, -2.0), 0.5), obs=y)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
w = mcmc.get_samples()["w"]
print("posterior mean of w:", float(w.mean()))
assert 0.25 < float(w.mean()) < 0.75
