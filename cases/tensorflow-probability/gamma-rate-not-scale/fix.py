"""Pass the rate, 1 / scale, by keyword."""
import numpy as np
import tensorflow_probability as tfp

tfd = tfp.distributions

shape, scale = 2.0, 3.0
reference = np.random.default_rng(0).gamma(shape, scale, size=100_000)

prior = tfd.Gamma(concentration=shape, rate=1.0 / scale)
mean = float(prior.mean())
print("numpy sample mean:", reference.mean(), "tfp mean:", mean)
assert abs(mean - 6.0) < 1e-5, f"prior mean is {mean}, expected 6.0"
np.testing.assert_allclose(float(prior.variance()), shape * scale**2, rtol=1e-5)
np.testing.assert_allclose(reference.mean(), mean, rtol=0.02)
