"""A 3-dimensional standard normal made with `tfd.Independent`, no ndims given.

The default reinterprets every batch dimension except the first one. A
vector of three normals has only one batch dimension, so nothing is
reinterpreted and `log_prob` stays per element. TFP logs a deprecation.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

prior = tfd.Independent(tfd.Normal(loc=tf.zeros(3), scale=1.0))
x = tf.constant([0.5, -1.0, 2.0])

lp = prior.log_prob(x)
print(prior)
print("log_prob:", lp.numpy())
assert lp.shape == (), f"log_prob of one 3-vector has shape {tuple(lp.shape)}, expected ()"
np.testing.assert_allclose(lp.numpy(), -0.5 * (3 * np.log(2 * np.pi) + 5.25), rtol=1e-6)
