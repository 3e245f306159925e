"""Fix: a numpyro release that supports the installed jax: numpyro>=0.21.

The fix is the requirement `numpyro>=0.21` (`[fix] requires`), or `jax<0.10` with
an older numpyro; nothing in the program changes. The check below runs
`numpyro.infer`, the module whose import failed, on a one-site model.
"""
import math

import jax
import numpyro
import numpyro.distributions as dist
from numpyro.infer.util import log_density

print("jax", jax.__version__, "numpyro", numpyro.__version__)


def model():
    numpyro.sample("x", dist.Normal(0.0, 1.0))


log_p, _ = log_density(model, (), {}, {"x": 0.5})
expected = -0.5 * 0.5**2 - 0.5 * math.log(2 * math.pi)  # log N(0.5 | 0, 1)
print(float(log_p), expected)
assert abs(float(log_p) - expected) < 1e-6, float(log_p)
