"""Convert the NumPy data to the model's dtype, float32, once at the input."""
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
features = rng.normal(size=(5, 3))
w = tf.Variable(tf.ones([3, 1]))
b = tf.Variable(0.0)

x = tf.convert_to_tensor(features, dtype=tf.float32)
prediction = tf.matmul(x, w) + b
print(prediction)
assert prediction.dtype == tf.float32 and prediction.shape == (5, 1)
np.testing.assert_allclose(prediction.numpy()[:, 0], features.sum(axis=1), rtol=1e-5)
