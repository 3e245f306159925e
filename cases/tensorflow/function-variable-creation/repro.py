"""Creating a `tf.Variable` inside a `tf.function` body.

The function keeps a running total in a variable it creates itself. Eagerly
that runs (each call gets a fresh variable). Under `tf.function` it fails
on the very first call.
"""
import tensorflow as tf


@tf.function
def add_to_total(x):
    total = tf.Variable(0.0)  # a new variable every time the body is traced
    total.assign_add(tf.reduce_sum(x))
    return total.read_value()


print(add_to_total(tf.constant([1.0, 2.0])))  # ValueError on the first call
