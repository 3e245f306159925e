"""Restore the removed JAX alias before loading TFP's JAX substrate.

`jax.core.pytype_aval_mappings` is the same registry the removed
`jax.interpreters.xla.pytype_aval_mappings` pointed to (JAX >= 0.5), so putting
the alias back before TFP loads lets tensorflow-probability 0.25 import and run.
On older JAX the alias still exists and nothing is changed.
"""
import math
import warnings

import jax
import jax.interpreters.xla as jax_xla
import jax.numpy as jnp

if not hasattr(jax_xla, "pytype_aval_mappings"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        jax_xla.pytype_aval_mappings = jax.core.pytype_aval_mappings

from tensorflow_probability.substrates import jax as tfp  # noqa: E402

tfd = tfp.distributions

print("jax", jax.__version__, "tfp", tfp.__version__)
lp = tfd.Normal(loc=0., scale=1.).log_prob(0.)
assert math.isclose(float(lp), -0.5 * math.log(2 * math.pi), rel_tol=1e-6), float(lp)

x = tfd.Normal(loc=jnp.zeros(3), scale=1.).sample(1000, seed=jax.random.PRNGKey(0))
assert x.shape == (1000, 3), x.shape
assert abs(float(x.mean())) < 0.1 and abs(float(x.std()) - 1.0) < 0.1

# Bijectors and jit work too.
f = jax.jit(lambda v: tfp.bijectors.Exp().forward(v))
assert jnp.allclose(f(jnp.array([0.0, 1.0])), jnp.array([1.0, math.e]))
print("ok")
