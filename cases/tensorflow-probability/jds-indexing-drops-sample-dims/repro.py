"""A child whose location is the parent's first coordinate, written x[0].

`jd.sample(10)` calls the lambda with x of shape [10, 2]; x[0] is the first
*draw*, not the first coordinate, so y is a single draw of shape [2].
"""
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

jd = tfd.JointDistributionSequential([
    tfd.Independent(tfd.Normal(loc=tf.zeros([2]), scale=tf.ones([2])), 1),
    lambda x: tfd.Independent(tfd.Normal(loc=x[0], scale=tf.ones([2])), 1),
])
x, y = jd.sample(10, seed=(1, 2))
print("x:", x.shape, "y:", y.shape)
assert y.shape == (10, 2), f"y has shape {tuple(y.shape)}, expected (10, 2)"
