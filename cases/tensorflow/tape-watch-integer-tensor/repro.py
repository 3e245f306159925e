"""Differentiating with respect to points written as integers.

`tf.constant([1, 2, 3])` is int32. The tape refuses to watch it: it logs a
warning, and the derivative comes back as None instead of [2, 4, 6].
"""
import tensorflow as tf

x = tf.constant([1, 2, 3])  # int32: no decimal point

with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.cast(x, tf.float32) ** 2

dy_dx = tape.gradient(y, x)
print("dy/dx:", dy_dx)
