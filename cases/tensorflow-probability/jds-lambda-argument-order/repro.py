"""A location-scale model whose lambda lists its parents in model order.

JointDistributionSequential passes the previously sampled values to a
callable in reverse order (most recent first), not by name. Here `mu`
receives sigma's sample and `sigma` receives mu's.
"""
import numpy as np
import tensorflow_probability as tfp

tfd = tfp.distributions

model = tfd.JointDistributionSequential([
    tfd.Normal(loc=0.0, scale=1.0, name="mu"),
    tfd.HalfNormal(scale=1.0, name="sigma"),
    lambda mu, sigma: tfd.Normal(loc=mu, scale=sigma, name="y"),
])

dists, (mu, sigma, y) = model.sample_distributions(seed=(1, 2))
print("mu:", mu.numpy(), "sigma:", sigma.numpy())
print("y ~ Normal(loc=%s, scale=%s)" % (dists[2].loc.numpy(), dists[2].scale.numpy()))
np.testing.assert_equal(dists[2].loc.numpy(), mu.numpy(), err_msg="y's loc is not the sampled mu")
np.testing.assert_equal(dists[2].scale.numpy(), sigma.numpy(), err_msg="y's scale is not the sampled sigma")
