"""Fix: ask for as many host devices before JAX starts, so chains run in parallel."""
import numpyro

numpyro.set_host_device_count(2)  # before any JAX computation

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpyro.distributions as dist  # noqa: E402
from numpyro.infer import MCMC, NUTS  # noqa: E402

y = jnp.array([1.2, 0.8, 1.1, 0.9, 1.0])


def model(y):
    mu = numpyro.sample("mu", dist.Normal(0.0, 10.0))
    with numpyro.plate("data", y.shape[0]):
        numpyro.sample("y", dist.Normal(mu, 0.5), obs=y)


assert jax.local_device_count() == 2, jax.local_device_count()
mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, num_chains=2, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), y)
mu = mcmc.get_samples(group_by_chain=True)["mu"]
print(mu.shape, float(mu.mean()))
assert mu.shape == (2, 100)
assert abs(float(mu.mean()) - 1.0) < 0.2, float(mu.mean())
