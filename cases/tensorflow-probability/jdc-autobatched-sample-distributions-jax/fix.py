"""Use JointDistributionCoroutine(batch_ndims=0) when you need sample_distributions.

The non-auto-batched coroutine with `batch_ndims=0` treats the model the same
way (every site's batch dimensions are part of the joint event) but does not
run it under `jax.vmap`, so `sample_distributions` returns the per-site
distributions and the samples.
"""
import warnings
from functools import partial

import jax
import jax.interpreters.xla as jax_xla
import jax.numpy as jnp

# tensorflow-probability 0.25 needs this alias, which JAX removed in 0.7.0.
if not hasattr(jax_xla, "pytype_aval_mappings"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        jax_xla.pytype_aval_mappings = jax.core.pytype_aval_mappings

from tensorflow_probability.substrates import jax as tfp  # noqa: E402

tfd = tfp.distributions


@partial(tfd.JointDistributionCoroutine, batch_ndims=0)
def model():
    x = yield tfd.Gamma(2.0, 10.0, name="x")
    yield tfd.Gamma(x, 10.0, name="y")


seed = jax.random.PRNGKey(123)
dists, samples = model.sample_distributions(x=[1.0, 2.0], seed=seed)
print(dists, samples)

assert isinstance(dists.y, tfd.Gamma), type(dists.y)
assert tuple(dists.y.batch_shape) == (2,), dists.y.batch_shape
assert jnp.allclose(dists.y.concentration, jnp.array([1.0, 2.0]))
assert jnp.allclose(samples.x, jnp.array([1.0, 2.0]))
assert samples.y.shape == (2,) and bool(jnp.all(samples.y > 0))
# the returned distribution scores the returned sample
assert jnp.allclose(dists.y.log_prob(samples.y),
                    tfd.Gamma(jnp.array([1.0, 2.0]), 10.0).log_prob(samples.y))
print("ok")
