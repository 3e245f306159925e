"""Ask evaluate() for a dict: model.evaluate(..., return_dict=True).

The keys are the metric names shown in the fit() logs, in Keras 2 and Keras 3.
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int32")

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation="softmax")])
model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=1, name="top1")],
)
model.fit(x, y, epochs=2, verbose=0)

results = model.evaluate(x, y, verbose=0, return_dict=True)
print(results)
assert set(results) == {"loss", "accuracy", "top1"}, results

# The values are the right ones: recompute them from the predictions.
prob = model.predict(x, verbose=0)
accuracy = float(np.mean(prob.argmax(axis=1) == y))
loss = float(-np.mean(np.log(prob[np.arange(len(y)), y])))
np.testing.assert_allclose(results["accuracy"], accuracy, rtol=1e-6)
np.testing.assert_allclose(results["top1"], accuracy, rtol=1e-6)
np.testing.assert_allclose(results["loss"], loss, rtol=1e-4)
print("ok")
