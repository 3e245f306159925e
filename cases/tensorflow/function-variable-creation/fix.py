"""Creating a `tf.Variable` inside a `tf.function` body, fixed.

Create the variable once, outside the function, and only update it inside.
The state then also survives between calls, which is what a running total
needs.
"""
import numpy as np
import tensorflow as tf

total = tf.Variable(0.0)  # created once, eagerly


@tf.function
def add_to_total(x):
    total.assign_add(tf.reduce_sum(x))
    return total.read_value()


first = add_to_total(tf.constant([1.0, 2.0])).numpy()
second = add_to_total(tf.constant([3.0, 4.0, 5.0])).numpy()  # new shape: retrace

assert first == 3.0, f"first call returned {first}"
assert second == 15.0, f"second call returned {second}"
assert total.numpy() == np.float32(15.0), f"total is {total.numpy()}"
print("ok: totals", first, second)
