"""A Gamma prior ported from NumPy/SciPy code: shape 2, scale 3.

`np.random.gamma(2, 3)` and `scipy.stats.gamma(a=2, scale=3)` have mean 6.
TFP's second positional parameter is the rate, so this prior has mean 2/3.
"""
import numpy as np
import tensorflow_probability as tfp

tfd = tfp.distributions

shape, scale = 2.0, 3.0
reference = np.random.default_rng(0).gamma(shape, scale, size=100_000)  # NumPy: shape, scale

prior = tfd.Gamma(shape, scale)
mean = float(prior.mean())
print("numpy sample mean:", reference.mean(), "tfp mean:", mean)
assert abs(mean - 6.0) < 1e-6, f"prior mean is {mean}, expected 6.0"
