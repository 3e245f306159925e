"""NaN gradient from the branch that `tf.where` does not select.

The entropy -sum(p * log p) uses the convention 0 * log 0 = 0, written with
`tf.where(p > 0, p * tf.math.log(p), 0.)`. The value is right, but the
gradient at p = 0 is NaN instead of 0: TensorFlow still differentiates
`p * log(p)` there, and 0 * inf gives NaN.
"""
import numpy as np
import tensorflow as tf

p = tf.Variable([0.0, 0.25, 0.75])
with tf.GradientTape() as tape:
    entropy = -tf.reduce_sum(tf.where(p > 0, p * tf.math.log(p), 0.0))
grad = tape.gradient(entropy, p).numpy()

# the forward value is fine
np.testing.assert_allclose(entropy.numpy(), -(0.25 * np.log(0.25) + 0.75 * np.log(0.75)), rtol=1e-6)
assert np.all(np.isfinite(grad)), f"non-finite gradient: {grad}"
