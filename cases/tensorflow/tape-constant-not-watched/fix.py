"""Call `tape.watch(image)` so the tape records operations on the tensor."""
import numpy as np
import tensorflow as tf

w = tf.Variable([[1.0], [-2.0], [0.5]])
image = tf.constant([[0.2, 0.4, 0.6]])

with tf.GradientTape() as tape:
    tape.watch(image)  # plain tensors must be watched explicitly
    score = tf.reduce_sum(tf.matmul(image, w) ** 2)

saliency = tape.gradient(score, image)
print("saliency:", saliency)
assert saliency is not None, "gradient with respect to the input is None"
# d(x.w)^2/dx = 2 (x.w) w^T, with x.w = 0.2 - 0.8 + 0.3 = -0.3
np.testing.assert_allclose(saliency.numpy(), [[-0.6, 1.2, -0.3]], rtol=1e-5)
