"""TFP's JAX substrate (tensorflow-probability 0.25) breaks on JAX >= 0.7.

The first use of `tensorflow_probability.substrates.jax` imports TFP's JAX
backend, which reads `jax.interpreters.xla.pytype_aval_mappings`. JAX
deprecated that alias in 0.5.0 and removed it in 0.7.0, so the import fails
before any distribution is built.
"""
import jax
from tensorflow_probability.substrates import jax as tfp

print("jax", jax.__version__)
tfd = tfp.distributions  # the substrate is loaded lazily; this line fails

print(tfd.Normal(loc=0., scale=1.).log_prob(0.))
