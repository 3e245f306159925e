"""Say how many batch dimensions become event dimensions: here 1."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

prior = tfd.Independent(tfd.Normal(loc=tf.zeros(3), scale=1.0),
                        reinterpreted_batch_ndims=1)
x = tf.constant([0.5, -1.0, 2.0])

lp = prior.log_prob(x)
print(prior)
print("log_prob:", lp.numpy())
assert prior.batch_shape == () and prior.event_shape == (3,)
assert lp.shape == (), f"log_prob of one 3-vector has shape {tuple(lp.shape)}, expected ()"
np.testing.assert_allclose(lp.numpy(), -0.5 * (3 * np.log(2 * np.pi) + 5.25), rtol=1e-6)
