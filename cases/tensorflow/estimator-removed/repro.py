"""A canned Estimator, as the TensorFlow 2.15 guides wrote it, on TensorFlow 2.16+.

`tf.estimator` was deprecated for several releases and removed in TensorFlow
2.16, so the first use of it fails before any training starts.
"""
import tempfile

import numpy as np
import tensorflow as tf

x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
y = 3 * x + 1


def input_fn():
    ds = tf.data.Dataset.from_tensor_slices(({"x": x}, y))
    return ds.shuffle(64, seed=0).batch(16).repeat(100)


feature_columns = [tf.feature_column.numeric_column("x")]
estimator = tf.estimator.LinearRegressor(  # AttributeError on TensorFlow >= 2.16
    feature_columns=feature_columns,
    optimizer=lambda: tf.keras.optimizers.legacy.Adam(learning_rate=0.1),
    model_dir=tempfile.mkdtemp(),
)
estimator.train(input_fn)
w = estimator.get_variable_value("linear/linear_model/x/weights")
b = estimator.get_variable_value("linear/linear_model/bias_weights")
print("w, b:", w.ravel(), b)
np.testing.assert_allclose(w.ravel(), [3.0], atol=0.05)
np.testing.assert_allclose(b, [1.0], atol=0.05)
