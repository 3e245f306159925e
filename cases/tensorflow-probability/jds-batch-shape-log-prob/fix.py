"""JointDistributionSequential: reinterpret the batch dimension as an event dimension.

Wrapping the batched HalfCauchy in `tfd.Independent(..., reinterpreted_batch_ndims=1)`
turns the batch of three scalars into one distribution over 3-vectors, so the
joint `log_prob` of one draw is a scalar (and a batch of draws gives one value
per draw).
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

model = tfd.JointDistributionSequential([
    tfd.Normal(loc=0., scale=1., name="z_0"),
    tfd.Independent(tfd.HalfCauchy(loc=tf.zeros([3]), scale=2.),
                    reinterpreted_batch_ndims=1, name="lambda_k"),
    lambda lambda_k, z_0: tfd.MultivariateNormalDiag(
        loc=z_0[..., tf.newaxis], scale_diag=lambda_k, name="z_k"),
])

z_0, lambda_k, z_k = model.sample(seed=(1, 2))
lp = model.log_prob([z_0, lambda_k, z_k])

expected = (tfd.Normal(0., 1.).log_prob(z_0)
            + tf.reduce_sum(tfd.HalfCauchy(tf.zeros([3]), 2.).log_prob(lambda_k))
            + tfd.MultivariateNormalDiag(z_0[..., None], lambda_k).log_prob(z_k))

print("log_prob:", lp.numpy(), "expected:", expected.numpy())
assert lp.shape == (), f"log_prob of one joint sample has shape {tuple(lp.shape)}, expected ()"
np.testing.assert_allclose(lp.numpy(), expected.numpy(), rtol=1e-5)

# A batch of 4 joint draws now gives 4 log-densities (this raised
# "Incompatible shapes: [4] vs. [4,3]" with the unwrapped HalfCauchy).
batch_lp = model.log_prob(model.sample(4, seed=(3, 4)))
assert batch_lp.shape == (4,), f"got shape {tuple(batch_lp.shape)}"
assert np.all(np.isfinite(batch_lp.numpy()))

# The auto-batched variant infers the same thing without the wrapper.
auto = tfd.JointDistributionSequentialAutoBatched([
    tfd.Normal(loc=0., scale=1., name="z_0"),
    tfd.HalfCauchy(loc=tf.zeros([3]), scale=2., name="lambda_k"),
    lambda lambda_k, z_0: tfd.MultivariateNormalDiag(
        loc=z_0[..., tf.newaxis], scale_diag=lambda_k, name="z_k"),
])
auto_lp = auto.log_prob([z_0, lambda_k, z_k])
assert auto_lp.shape == ()
np.testing.assert_allclose(auto_lp.numpy(), expected.numpy(), rtol=1e-5)
print("ok")
