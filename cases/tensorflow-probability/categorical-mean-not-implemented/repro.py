"""The expected value of a `tfd.Categorical`, asked for with `.mean()`.

Before tensorflow-probability 0.25, `Categorical` defined no mean or
variance, so the inherited `Distribution.mean` raises NotImplementedError.
"""
import numpy as np
import tensorflow_probability as tfp

tfd = tfp.distributions

dist = tfd.Categorical(probs=[[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
mean = dist.mean()  # NotImplementedError with tensorflow-probability < 0.25
var = dist.variance()
print("mean", mean.numpy(), "variance", var.numpy())
np.testing.assert_allclose(mean, [1.3, 0.0], rtol=1e-6)
np.testing.assert_allclose(var, [0.61, 0.0], atol=1e-6)
