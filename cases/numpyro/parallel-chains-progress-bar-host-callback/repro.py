"""Two chains in parallel on a two-device CPU, with the progress bar on (the default).

numpyro 0.15.2 and older draw that progress bar with
jax.experimental.host_callback.id_tap(tap_with_device=True), which JAX 0.4.34 and later
do not support: MCMC.run raises NotImplementedError.
"""
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


# progress_bar=True is the default
mcmc = MCMC(NUTS(model), num_warmup=200, num_samples=200, num_chains=2, chain_method="parallel")
mcmc.run(jax.random.PRNGKey(0), y)  # NotImplementedError: ... host_callback ...
mu = mcmc.get_samples(group_by_chain=True)["mu"]
print(mu.shape, float(mu.mean()))
