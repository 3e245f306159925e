"""Keras 3: Model.fit_generator was removed.

It had been deprecated since TensorFlow 2.1 in favour of fit(), which accepts
generators; Keras 3 dropped the old method.
"""
import numpy as np
import keras

rng = np.random.default_rng(0)


def batches(batch_size=8):
    while True:
        x = rng.normal(size=(batch_size, 3)).astype("float32")
        yield x, x.sum(axis=1, keepdims=True)


model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit_generator(batches(), steps_per_epoch=4, epochs=2, verbose=0)  # AttributeError
