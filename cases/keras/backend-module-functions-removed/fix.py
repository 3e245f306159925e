"""Write the metric with keras.ops, the backend-agnostic replacement of K.*.

keras.ops follows NumPy names: ops.reshape(x, [-1]) for K.flatten, ops.sum for
K.sum, ops.mean for K.mean, ops.square, ops.clip, ...
"""
import numpy as np
import keras
from keras import ops


def jacard_coef(y_true, y_pred):
    y_true_f = ops.reshape(y_true, [-1])
    y_pred_f = ops.reshape(y_pred, [-1])
    intersection = ops.sum(y_true_f * y_pred_f)
    return (intersection + 1.0) / (ops.sum(y_true_f) + ops.sum(y_pred_f) - intersection + 1.0)


x = np.random.default_rng(0).random((8, 4, 4, 1)).astype("float32")
y = (x > 0.5).astype("float32")
model = keras.Sequential(
    [keras.Input(shape=(4, 4, 1)), keras.layers.Conv2D(1, 1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[jacard_coef])
model.fit(x, y, epochs=1, verbose=0)
result = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)

# The metric equals the same formula in NumPy on the model's predictions.
p = model.predict(x, batch_size=8, verbose=0).ravel()
t = y.ravel()
inter = np.sum(t * p)
expected = (inter + 1.0) / (t.sum() + p.sum() - inter + 1.0)
np.testing.assert_allclose(result["jacard_coef"], expected, rtol=1e-5)
print(result)
