"""Return the loss from the `tf.function` and collect it outside.

Outputs of a `tf.function` are real (eager) tensors with the value of each
call, so the Python list now holds one value per step.
"""
import numpy as np
import tensorflow as tf

losses = []


@tf.function
def train_step(x):
    loss = tf.reduce_mean(tf.square(x))
    return x * 0.5, loss  # return it instead of appending it


x = tf.constant([2.0, 4.0])
for _ in range(3):
    x, loss = train_step(x)
    losses.append(loss)

total = tf.reduce_sum(tf.stack(losses))
print(len(losses), "entries, total loss:", float(total))
assert len(losses) == 3
np.testing.assert_allclose([float(v) for v in losses], [10.0, 2.5, 0.625])
np.testing.assert_allclose(float(total), 13.125)
