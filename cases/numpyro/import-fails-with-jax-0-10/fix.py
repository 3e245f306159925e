"""Fix: a numpyro release that supports the installed jax (0.21.0 or later for jax 0.10).

The script is unchanged; the fix is the requirement `numpyro>=0.21` (or
`jax<0.10` with an older numpyro). The check below states it.
"""
import jax
import numpyro
import numpyro.distributions as dist

print("jax", jax.__version__, "numpyro", numpyro.__version__)


def release(version):
    return tuple(int(part) for part in version.split(".")[:2])


if release(jax.__version__) >= (0, 10):
    assert release(numpyro.__version__) >= (0, 21), numpyro.__version__

with numpyro.handlers.seed(rng_seed=0):
    x = numpyro.sample("x", dist.Normal(0.0, 1.0))
print(float(x))
assert jax.numpy.isfinite(x) and x.shape == ()
