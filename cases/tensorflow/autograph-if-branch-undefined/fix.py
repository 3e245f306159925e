"""Give the variable a value on both paths of the tensor `if`.

With `scale` set before the `if` (or in an `else`), AutoGraph can build a
`tf.cond` whose two branches both produce `scale`.
"""
import numpy as np
import tensorflow as tf


@tf.function
def normalize(x):
    norm = tf.norm(x)
    scale = tf.constant(1.0)  # the value for the path that does not rescale
    if norm > 1.0:
        scale = 1.0 / norm
    return x * scale


long_vec = normalize(tf.constant([3.0, 4.0])).numpy()
short_vec = normalize(tf.constant([0.3, 0.4])).numpy()
print(long_vec, short_vec)
np.testing.assert_allclose(long_vec, [0.6, 0.8], rtol=1e-6)
np.testing.assert_allclose(short_vec, [0.3, 0.4], rtol=1e-6)
