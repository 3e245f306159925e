"""List the bijectors last-applied first: Shift(1e-3) after Exp means [Shift, Exp]."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfb = tfp.bijectors

to_scale = tfb.Chain([tfb.Shift(1e-3), tfb.Exp()])  # exp(x) + 1e-3

raw = tf.constant([-20.0, 0.0, 1.0])
scale = to_scale.forward(raw).numpy()
print("scale:", scale)
assert np.all(scale >= 1e-3), f"the scale is not bounded below by 1e-3: {scale}"
np.testing.assert_allclose(scale, np.exp(raw.numpy()) + 1e-3, rtol=1e-6)
# The same composition written with the call syntax reads left to right as maths:
np.testing.assert_allclose(tfb.Shift(1e-3)(tfb.Exp())(raw).numpy(), scale, rtol=1e-6)
