"""Make the points floating point, so the tape can watch them."""
import numpy as np
import tensorflow as tf

x = tf.constant([1.0, 2.0, 3.0])  # float32

with tf.GradientTape() as tape:
    tape.watch(x)
    y = x ** 2

dy_dx = tape.gradient(y, x)
print("dy/dx:", dy_dx)
assert dy_dx is not None
np.testing.assert_allclose(dy_dx.numpy(), [2.0, 4.0, 6.0])
