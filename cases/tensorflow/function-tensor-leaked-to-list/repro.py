"""Collecting per-step losses in a Python list from inside a `tf.function`.

The list receives the symbolic tensors of the trace, not the values of each
call. Using them after the function returns raises a TypeError.
"""
import tensorflow as tf

losses = []  # filled as a side effect, as one would do eagerly


@tf.function
def train_step(x):
    loss = tf.reduce_mean(tf.square(x))
    losses.append(loss)  # runs once, at trace time, and keeps a graph tensor
    return x * 0.5


x = tf.constant([2.0, 4.0])
for _ in range(3):
    x = train_step(x)

print(len(losses), "entries:", losses)
total = tf.reduce_sum(tf.stack(losses))  # TypeError: ... is out of scope
print("total loss:", float(total))
