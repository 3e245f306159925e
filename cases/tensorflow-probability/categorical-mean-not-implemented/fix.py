"""Compute the mean and variance from the class probabilities.

The categories of `tfd.Categorical` are 0, 1, ..., K-1, so the mean is the sum
of k * p_k and the variance the sum of (k - mean)**2 * p_k. This gives the same
values as the `mean()` and `variance()` added in tensorflow-probability 0.25,
on every release.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

dist = tfd.Categorical(probs=[[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
probs = dist.probs_parameter()
k = tf.range(probs.shape[-1], dtype=probs.dtype)
mean = tf.reduce_sum(k * probs, axis=-1)
var = tf.reduce_sum(tf.square(k - mean[..., None]) * probs, axis=-1)
print("mean", mean.numpy(), "variance", var.numpy())
np.testing.assert_allclose(mean, [1.3, 0.0], rtol=1e-6)
np.testing.assert_allclose(var, [0.61, 0.0], atol=1e-6)
