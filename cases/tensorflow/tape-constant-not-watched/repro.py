"""Input gradients (a saliency map) with a GradientTape.

The input image is a plain tensor, not a variable. The tape never recorded
operations on it, so the gradient comes back as None.
"""
import tensorflow as tf

w = tf.Variable([[1.0], [-2.0], [0.5]])
image = tf.constant([[0.2, 0.4, 0.6]])

with tf.GradientTape() as tape:
    score = tf.reduce_sum(tf.matmul(image, w) ** 2)

saliency = tape.gradient(score, image)
print("saliency:", saliency)
assert saliency is not None, "gradient with respect to the input is None"
