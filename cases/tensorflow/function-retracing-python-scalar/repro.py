"""A Python float argument makes a `tf.function` retrace on every call.

The learning rate changes every step and is passed as a plain Python number.
Each new value is part of the trace key, so TensorFlow builds a new graph per
step and logs a "triggered tf.function retracing" warning.
"""
import tensorflow as tf

w = tf.Variable(1.0)


@tf.function
def sgd_step(grad, lr):
    w.assign_sub(lr * grad)


for step in range(8):
    lr = 0.1 / (1 + step)  # a decaying schedule, as a Python float
    sgd_step(tf.constant(0.5), lr)

print("traces:", sgd_step.experimental_get_tracing_count())
print("w:", w.numpy())
