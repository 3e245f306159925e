"""A NumPyro script in an environment where jax was upgraded to 0.7.

With numpyro 0.12 to 0.18 the import itself fails, before any model runs.
"""
import jax
import numpyro
import numpyro.distributions as dist

print("jax", jax.__version__, "numpyro", numpyro.__version__)
with numpyro.handlers.seed(rng_seed=0):
    x = numpyro.sample("x", dist.Normal(0.0, 1.0))
print(float(x))
