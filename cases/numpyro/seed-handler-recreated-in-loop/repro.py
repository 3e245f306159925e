"""Simulating several datasets from a model with a freshly seeded copy each time.

Each handlers.seed(model, rng_seed=0) starts from the same key, so every
"replicate" is the same draw.
"""
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro import handlers


def model(n=5):
    mu = numpyro.sample("mu", dist.Normal(0.0, 1.0))
    with numpyro.plate("data", n):
        return numpyro.sample("y", dist.Normal(mu, 1.0))


datasets = []
for _ in range(3):
    datasets.append(handlers.seed(model, rng_seed=0)())
datasets = jnp.stack(datasets)
print(datasets)
assert not jnp.allclose(datasets[0], datasets[1]), "all simulated datasets are identical"
