"""A likelihood whose location comes from NumPy, scored on TensorFlow values.

`np.linspace` returns float64, so the distribution is float64. The values to
score are float32 (TensorFlow's default), and TFP refuses to mix them.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

x = np.linspace(0.0, 1.0, 5)              # float64
likelihood = tfd.Normal(loc=2.0 * x, scale=0.5)
print(likelihood.dtype)

predictions = tf.constant([0.1, 0.4, 1.1, 1.4, 2.1])  # float32
print(likelihood.log_prob(predictions))
