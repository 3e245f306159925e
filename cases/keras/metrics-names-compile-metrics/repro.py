"""Keras 3: model.metrics_names no longer lists each compiled metric.

The Keras 2 idiom dict(zip(model.metrics_names, model.evaluate(...))) relied on
it; in Keras 3 the names are ['loss', 'compile_metrics'] and the metrics are lost.
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

scores = model.evaluate(x, y, verbose=0)
results = dict(zip(model.metrics_names, scores))
print(model.metrics_names, scores)
assert {"loss", "accuracy", "top1"} <= results.keys(), (
    f"metrics_names does not name the compiled metrics: {model.metrics_names}"
)
