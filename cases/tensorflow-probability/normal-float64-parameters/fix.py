"""Give the NumPy data the model's dtype, float32, before building the distribution."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

x = np.linspace(0.0, 1.0, 5).astype(np.float32)
likelihood = tfd.Normal(loc=2.0 * x, scale=0.5)
assert likelihood.dtype == tf.float32

predictions = tf.constant([0.1, 0.4, 1.1, 1.4, 2.1])
lp = likelihood.log_prob(predictions)
print(lp)
z = (predictions.numpy() - 2.0 * x) / 0.5
np.testing.assert_allclose(lp.numpy(), -0.5 * z**2 - np.log(0.5 * np.sqrt(2 * np.pi)), rtol=1e-5)
