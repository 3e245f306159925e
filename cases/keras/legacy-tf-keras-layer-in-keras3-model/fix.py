"""Use one Keras for the whole model: here tf.keras (tf_keras) for model and layers.

With TF_USE_LEGACY_KERAS=1, tf.keras.Sequential, tf.keras.layers and
tf.keras.optimizers all come from tf_keras (Keras 2) and work together.
"""
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # e.g. for a library that needs Keras 2

import numpy as np
import tensorflow as tf

print("tf.keras is", tf.keras.__name__)
assert tf.keras.__name__.startswith("tf_keras"), tf.keras.__name__

model = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(8, activation="relu", input_shape=(3,)),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
model.fit(x, np.ones((8, 1), "float32"), epochs=1, verbose=0)

w1, b1, w2, b2 = model.get_weights()
expected = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
print("ok")
