"""Keras 3: calling a tf.* function on a Functional-API tensor is an error.

tf.keras wrapped such calls in automatic TFOpLambda layers; Keras 3's symbolic
KerasTensor refuses to be converted to a tf.Tensor.
"""
import tensorflow as tf
import keras

tokens = keras.Input(shape=(5,), dtype="int32")
embedded = keras.layers.Embedding(input_dim=20, output_dim=4)(tokens)
pooled = tf.reduce_mean(embedded, axis=1)  # raises ValueError
outputs = keras.layers.Dense(1)(pooled)
model = keras.Model(tokens, outputs)
