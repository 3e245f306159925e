"""Build the whole model with one Keras: here `tf_keras` throughout.

A tf_keras layer belongs in a tf_keras model. (Setting TF_USE_LEGACY_KERAS=1
before importing TensorFlow makes `tf.keras` itself point to tf_keras.)
"""
import numpy as np
import tensorflow as tf  # noqa: F401  (tf_keras runs on TensorFlow)
import tf_keras

feature_extractor = tf_keras.layers.Dense(4, activation="relu", name="features")

model = tf_keras.Sequential([
    tf_keras.Input(shape=(3,)),
    feature_extractor,
    tf_keras.layers.Dense(1),
])
out = model(np.ones((2, 3), np.float32))
print(out.shape)
assert out.shape == (2, 1)
assert len(model.trainable_weights) == 4  # both Dense layers are tracked
