"""A linear model on data made with NumPy.

The features are a float64 NumPy array; the weights are float32 variables.
TensorFlow does not promote dtypes, so the matmul fails.
"""
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
features = rng.normal(size=(5, 3))  # float64, NumPy's default
w = tf.Variable(tf.ones([3, 1]))     # float32, TensorFlow's default
b = tf.Variable(0.0)

x = tf.convert_to_tensor(features)
prediction = tf.matmul(x, w) + b
print(prediction)
