"""Fix: a numpyro release that supports the installed jax: numpyro>=0.19 for jax 0.7.

The program is the repro's; the fix is the requirement `numpyro>=0.19`
(`[fix] requires`), or `jax<0.7` with an older numpyro. With jax 0.10 or later,
numpyro needs 0.21 (numpyro/import-fails-with-jax-0-10).
"""
import math

import jax
import numpyro
import numpyro.distributions as dist

print("jax", jax.__version__, "numpyro", numpyro.__version__)
with numpyro.handlers.seed(rng_seed=0):
    x = numpyro.sample("x", dist.Normal(0.0, 1.0))
print(float(x))

# The import worked (it loads numpyro.infer, where it failed) and the model runs:
# one finite draw whose log-density is that of N(0, 1).
assert x.shape == () and math.isfinite(float(x)), x
expected = -0.5 * float(x) ** 2 - 0.5 * math.log(2 * math.pi)
assert abs(float(dist.Normal(0.0, 1.0).log_prob(x)) - expected) < 1e-5
