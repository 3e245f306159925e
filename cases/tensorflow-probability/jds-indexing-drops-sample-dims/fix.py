"""Index event dimensions from the right, x[..., :1], so sample dimensions pass through."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

jd = tfd.JointDistributionSequential([
    tfd.Independent(tfd.Normal(loc=tf.zeros([2]), scale=tf.ones([2])), 1),
    lambda x: tfd.Independent(tfd.Normal(loc=x[..., :1], scale=tf.ones([2])), 1),
])
x, y = jd.sample(10, seed=(1, 2))
print("x:", x.shape, "y:", y.shape)
assert y.shape == (10, 2), f"y has shape {tuple(y.shape)}, expected (10, 2)"
# Each y[i] is centred on its own parent's first coordinate x[i, 0].
dists, _ = jd.sample_distributions(value=[x, y])
np.testing.assert_array_equal(dists[1].distribution.loc.numpy()[:, 0], x.numpy()[:, 0])
assert jd.log_prob([x, y]).shape == (10,)
