"""Fix: use numpyro.contrib.control_flow.scan, which runs the handlers inside the loop."""
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.contrib.control_flow import scan
from numpyro.infer import MCMC, NUTS

ys = jnp.array([0.1, 0.3, 0.2, 0.6, 0.8])


def model(ys):
    sigma = numpyro.sample("sigma", dist.HalfNormal(1.0))

    def step(x_prev, y):
        x = numpyro.sample("x", dist.Normal(x_prev, sigma))
        numpyro.sample("y", dist.Normal(x, 0.1), obs=y)
        return x, x

    scan(step, 0.0, ys)


mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
mcmc.run(jax.random.PRNGKey(0), ys)
x = mcmc.get_samples()["x"]
print(x.shape, x.mean(0))
assert x.shape == (100, 5), x.shape
assert jnp.allclose(x.mean(0), ys, atol=0.15), x.mean(0)
