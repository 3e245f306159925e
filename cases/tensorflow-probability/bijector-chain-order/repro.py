"""A positive scale with a floor, built as "exp, then add 1e-3".

The bijectors are listed in the order they should be applied. `tfb.Chain`
composes them the other way round: it shifts first and exponentiates last,
so the floor disappears.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfb = tfp.bijectors

to_scale = tfb.Chain([tfb.Exp(), tfb.Shift(1e-3)])  # meant: exp(x) + 1e-3

raw = tf.constant([-20.0, 0.0, 1.0])  # unconstrained parameters
scale = to_scale.forward(raw).numpy()
print("scale:", scale)
assert np.all(scale >= 1e-3), f"the scale is not bounded below by 1e-3: {scale}"
np.testing.assert_allclose(scale, np.exp(raw.numpy()) + 1e-3, rtol=1e-6)
