"""Keras 3: the `layers.experimental.preprocessing` namespace is gone.

TensorFlow 2.3-2.5 era code (and many tutorials) reached the preprocessing
layers through tf.keras.layers.experimental.preprocessing; with TensorFlow 2.16+
tf.keras is Keras 3, which only has them in tf.keras.layers.
"""
import numpy as np
import tensorflow as tf

preprocessing = tf.keras.layers.experimental.preprocessing  # AttributeError
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(8, 8, 3)),
        preprocessing.Rescaling(1.0 / 255),
        preprocessing.RandomFlip("horizontal"),
        tf.keras.layers.Conv2D(4, 3, activation="relu"),
    ]
)
print(model(np.zeros((1, 8, 8, 3), "float32")).shape)
