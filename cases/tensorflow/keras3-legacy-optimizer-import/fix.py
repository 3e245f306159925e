"""Use the current optimizer, `tf.keras.optimizers.Adam`, on Keras 3.

The same name exists on Keras 2.11+ and Keras 3, so this runs on every
TensorFlow 2 release that has it.
"""
import numpy as np
import tensorflow as tf

x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(-1, 1)
y = 3 * x + 1

model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mse")
model.fit(x, y, epochs=100, verbose=0)
w, b = model.layers[-1].get_weights()
print("w, b:", w.ravel(), b)
np.testing.assert_allclose(w.ravel(), [3.0], atol=0.05)
np.testing.assert_allclose(b, [1.0], atol=0.05)
