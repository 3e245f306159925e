"""List the lambda's arguments most recent first: sigma, then mu."""
import numpy as np
import tensorflow_probability as tfp

tfd = tfp.distributions

model = tfd.JointDistributionSequential([
    tfd.Normal(loc=0.0, scale=1.0, name="mu"),
    tfd.HalfNormal(scale=1.0, name="sigma"),
    lambda sigma, mu: tfd.Normal(loc=mu, scale=sigma, name="y"),
])

dists, (mu, sigma, y) = model.sample_distributions(seed=(1, 2))
print("mu:", mu.numpy(), "sigma:", sigma.numpy())
print("y ~ Normal(loc=%s, scale=%s)" % (dists[2].loc.numpy(), dists[2].scale.numpy()))
np.testing.assert_equal(dists[2].loc.numpy(), mu.numpy(), err_msg="y's loc is not the sampled mu")
np.testing.assert_equal(dists[2].scale.numpy(), sigma.numpy(), err_msg="y's scale is not the sampled sigma")
assert np.isfinite(model.log_prob([mu, sigma, y]).numpy())
