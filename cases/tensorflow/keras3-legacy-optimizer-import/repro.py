"""A training script from the TensorFlow 2.11-2.15 era on TensorFlow 2.16+.

`tf.keras.optimizers.legacy.Adam` was the way to keep the old optimizer
(for example for speed on Apple silicon). Since TensorFlow 2.16, `tf.keras`
is Keras 3, which has no legacy optimizers.
"""
import numpy as np
import tensorflow as tf

x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(-1, 1)
y = 3 * x + 1

model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.legacy.Adam(learning_rate=0.1), loss="mse")
model.fit(x, y, epochs=100, verbose=0)
w, b = model.layers[-1].get_weights()
print("w, b:", w.ravel(), b)
