"""JointDistributionSequential: a batched prior silently gives a per-element log_prob.

`HalfCauchy(loc=tf.zeros([3]), ...)` is a *batch* of three scalar distributions,
not one 3-dimensional distribution. Inside a JointDistributionSequential that
batch shape leaks into `log_prob`: one joint sample gets three log-densities
instead of one number, and the "joint" value is never summed over the batch.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

model = tfd.JointDistributionSequential([
    tfd.Normal(loc=0., scale=1., name="z_0"),
    tfd.HalfCauchy(loc=tf.zeros([3]), scale=2., name="lambda_k"),
    lambda lambda_k, z_0: tfd.MultivariateNormalDiag(
        loc=z_0[..., tf.newaxis], scale_diag=lambda_k, name="z_k"),
])

z_0, lambda_k, z_k = model.sample(seed=(1, 2))
lp = model.log_prob([z_0, lambda_k, z_k])

# The joint log-density of one draw is a single number: the sum of the three
# component log-densities.
expected = (tfd.Normal(0., 1.).log_prob(z_0)
            + tf.reduce_sum(tfd.HalfCauchy(tf.zeros([3]), 2.).log_prob(lambda_k))
            + tfd.MultivariateNormalDiag(z_0[..., None], lambda_k).log_prob(z_k))

print("log_prob:", lp.numpy(), "expected:", expected.numpy())
assert lp.shape == (), f"log_prob of one joint sample has shape {tuple(lp.shape)}, expected ()"
np.testing.assert_allclose(lp.numpy(), expected.numpy(), rtol=1e-5)
