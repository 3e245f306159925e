"""The same linear regression as a Keras model, the replacement for Estimators.

A `LinearRegressor` on one numeric feature is a `Dense(1)` layer; `fit` takes
the same `tf.data` pipeline. This runs on TensorFlow 2.15 and on 2.16+.
"""
import numpy as np
import tensorflow as tf

x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
y = 3 * x + 1


def input_fn():
    ds = tf.data.Dataset.from_tensor_slices(({"x": x}, y))
    return ds.shuffle(64, seed=0).batch(16).repeat(100)


inputs = {"x": tf.keras.Input(shape=(1,), name="x")}
outputs = tf.keras.layers.Dense(1)(inputs["x"])
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mse")
model.fit(input_fn(), verbose=0)
w, b = model.layers[-1].get_weights()
print("w, b:", w.ravel(), b)
np.testing.assert_allclose(w.ravel(), [3.0], atol=0.05)
np.testing.assert_allclose(b, [1.0], atol=0.05)
