"""An `if` on a tensor that assigns a variable in one branch only.

Eagerly this is ordinary Python. Under `tf.function`, AutoGraph turns the
`if` into `tf.cond`, which needs a value for `scale` on both paths.
"""
import tensorflow as tf


@tf.function
def normalize(x):
    norm = tf.norm(x)
    if norm > 1.0:
        scale = 1.0 / norm
    return x * scale  # scale is undefined when norm <= 1


print(normalize(tf.constant([3.0, 4.0])).numpy())
print(normalize(tf.constant([0.3, 0.4])).numpy())
