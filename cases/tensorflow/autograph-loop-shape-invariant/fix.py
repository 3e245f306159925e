"""Collect loop results in a `tf.TensorArray`, which may grow in a graph loop.

A `TensorArray` is the loop-carried value; its size changes without changing
the loop variable's shape, and `stack()` gives the tensor at the end.
"""
import numpy as np
import tensorflow as tf


@tf.function
def cumulative_powers(base, n):
    powers = tf.TensorArray(tf.float32, size=n + 1)
    value = tf.constant(1.0)
    powers = powers.write(0, value)
    for i in tf.range(n):
        value = value * base
        powers = powers.write(i + 1, value)
    return powers.stack()


result = cumulative_powers(tf.constant(2.0), tf.constant(4)).numpy()
print(result)
np.testing.assert_allclose(result, [1.0, 2.0, 4.0, 8.0, 16.0])
assert cumulative_powers.experimental_get_tracing_count() == 1
