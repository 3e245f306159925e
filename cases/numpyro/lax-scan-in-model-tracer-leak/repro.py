"""A random-walk model written with jax.lax.scan fails under MCMC.

The sample statements run inside the scan body, so the trace handler of the
inference algorithm stores scan tracers, which escape the scan.
"""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

ys = jnp.array([0.1, 0.3, 0.2, 0.6, 0.8])


def model(ys):
    sigma = numpyro.sample("sigma", dist.HalfNormal(1.0))

    def step(x_prev, y):
        x = numpyro.sample("x", dist.Normal(x_prev, sigma))
        numpyro.sample("y", dist.Normal(x, 0.1), obs=y)
        return x, x

    jax.lax.scan(step, 0.0, ys)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), ys)
print(mcmc.get_samples()["x"].shape)
