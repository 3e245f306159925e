"""Growing a tensor with `tf.concat` inside a `tf.range` loop.

Eagerly the loop appends one element per step. Under `tf.function` the loop
becomes a `tf.while_loop`, and its loop variable may not change shape.
"""
import tensorflow as tf


@tf.function
def cumulative_powers(base, n):
    powers = tf.constant([1.0])
    for _ in tf.range(n):
        powers = tf.concat([powers, powers[-1:] * base], axis=0)
    return powers


print(cumulative_powers(tf.constant(2.0), tf.constant(4)).numpy())
