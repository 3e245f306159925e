"""Fix: give every replicate its own key, split from one seed."""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro import handlers


def model(n=5):
    mu = numpyro.sample("mu", dist.Normal(0.0, 1.0))
    with numpyro.plate("data", n):
        return numpyro.sample("y", dist.Normal(mu, 1.0))


keys = jax.random.split(jax.random.PRNGKey(0), 3)
datasets = jnp.stack([handlers.seed(model, rng_seed=k)() for k in keys])
print(datasets)
assert not jnp.allclose(datasets[0], datasets[1]), "all simulated datasets are identical"
assert not jnp.allclose(datasets[1], datasets[2]), "all simulated datasets are identical"
# Still reproducible: the same keys give the same datasets.
again = jnp.stack([handlers.seed(model, rng_seed=k)() for k in keys])
assert jnp.array_equal(datasets, again)
