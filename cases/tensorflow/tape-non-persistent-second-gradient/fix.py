"""Record with `persistent=True` to take several gradients from one tape.

Delete the tape afterwards so its resources are freed.
"""
import numpy as np
import tensorflow as tf

gen_w = tf.Variable(2.0)
disc_w = tf.Variable(3.0)
z = tf.constant(1.5)

with tf.GradientTape(persistent=True) as tape:
    fake = gen_w * z
    score = disc_w * fake
    gen_loss = -score
    disc_loss = score ** 2

gen_grad = tape.gradient(gen_loss, gen_w)
disc_grad = tape.gradient(disc_loss, disc_w)
del tape
print(gen_grad, disc_grad)
# d(-w_d * w_g * z)/d w_g = -w_d * z;  d((w_d * w_g * z)^2)/d w_d = 2 * score * w_g * z
np.testing.assert_allclose(gen_grad.numpy(), -3.0 * 1.5)
np.testing.assert_allclose(disc_grad.numpy(), 2 * 9.0 * 2.0 * 1.5)
