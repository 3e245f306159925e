"""Pass the generator to fit(); give steps_per_epoch for an endless generator."""
import numpy as np
import keras

rng = np.random.default_rng(0)


def batches(batch_size=8):
    while True:
        x = rng.normal(size=(batch_size, 3)).astype("float32")
        yield x, x.sum(axis=1, keepdims=True)


model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
history = model.fit(batches(), steps_per_epoch=4, epochs=2, verbose=0)

losses = history.history["loss"]
steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
assert steps == 2 * 4 and len(losses) == 2 and np.isfinite(losses).all(), (steps, losses)
loss = model.evaluate(batches(), steps=2, verbose=0)  # was evaluate_generator
pred = model.predict(batches(), steps=2, verbose=0)  # was predict_generator
assert np.isfinite(loss) and pred.shape == (16, 1), (loss, pred.shape)
print("loss", losses)
