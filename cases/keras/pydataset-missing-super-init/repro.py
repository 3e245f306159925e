"""Keras 3: a PyDataset subclass whose __init__ does not call super().__init__() warns.

This is how keras.utils.Sequence subclasses were usually written for Keras 2;
Keras 3 trains on it but warns, and its worker settings cannot be set.
"""
import math

import numpy as np
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size  # no super().__init__()

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        lo = idx * self.batch_size
        return self.x[lo : lo + self.batch_size], self.y[lo : lo + self.batch_size]


x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
history = model.fit(Batches(x, y, batch_size=8), epochs=2, verbose=0)  # UserWarning
print("loss", history.history["loss"])
