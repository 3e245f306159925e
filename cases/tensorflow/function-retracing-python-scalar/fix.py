"""Pass the changing number as a tensor so the `tf.function` is traced once.

A `tf.constant` (or a `tf.Variable`) is traced by its dtype and shape only,
so every step reuses the same graph and nothing is logged.
"""
import numpy as np
import tensorflow as tf

w = tf.Variable(1.0)


@tf.function
def sgd_step(grad, lr):
    w.assign_sub(lr * grad)


for step in range(8):
    lr = 0.1 / (1 + step)
    sgd_step(tf.constant(0.5), tf.constant(lr))  # a tensor, not a Python float

traces = sgd_step.experimental_get_tracing_count()
assert traces == 1, f"traced {traces} times"
expected = 1.0 - sum(0.5 * 0.1 / (1 + s) for s in range(8))
np.testing.assert_allclose(w.numpy(), expected, rtol=1e-6)
print("ok: traces", traces, "w", w.numpy())
