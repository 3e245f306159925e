"""A layer built with `tf_keras` (Keras 2) added to a `tf.keras` model.

Since TensorFlow 2.16, `tf.keras` is Keras 3, while `tf_keras` and libraries
built on it (TensorFlow Hub's `hub.KerasLayer`, TFP layers) make Keras 2
layers. Keras 3 does not accept them.
"""
import numpy as np
import tensorflow as tf
import tf_keras

# Stands in for a layer from a library built on tf_keras, e.g. hub.KerasLayer.
feature_extractor = tf_keras.layers.Dense(4, activation="relu", name="features")

model = tf.keras.Sequential([
    tf.keras.Input(shape=(3,)),
    feature_extractor,
    tf.keras.layers.Dense(1),
])
print(model(np.ones((2, 3), np.float32)).shape)
