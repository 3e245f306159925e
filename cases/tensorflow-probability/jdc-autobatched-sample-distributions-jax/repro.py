"""JointDistributionCoroutineAutoBatched.sample_distributions fails on TFP's JAX substrate.

With a value pinned for one site, `sample()` works but `sample_distributions()`
raises: the auto-batched model runs under `jax.vmap`, and older JAX versions
rebuild the returned distributions with placeholder `object()` leaves, which
TFP's distribution constructors cannot convert to arrays.
"""
import warnings

import jax
import jax.interpreters.xla as jax_xla

# tensorflow-probability 0.25 needs this alias, which JAX removed in 0.7.0
# (see the case "jax-substrate-jax07-import"); it is not part of this bug.
if not hasattr(jax_xla, "pytype_aval_mappings"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        jax_xla.pytype_aval_mappings = jax.core.pytype_aval_mappings

from tensorflow_probability.substrates import jax as tfp  # noqa: E402

tfd = tfp.distributions
print("jax", jax.__version__, "tfp", tfp.__version__)


@tfd.JointDistributionCoroutineAutoBatched
def model():
    x = yield tfd.Gamma(2.0, 10.0, name="x")
    yield tfd.Gamma(x, 10.0, name="y")


seed = jax.random.PRNGKey(123)
print(model.sample(x=[1.0, 2.0], seed=seed))  # works
dists, samples = model.sample_distributions(x=[1.0, 2.0], seed=seed)  # raises
print(dists, samples)
