"""Keras 3: fit() no longer takes workers / use_multiprocessing / max_queue_size.

Keras 2 accepted them for Sequence inputs; in Keras 3 they are constructor
arguments of keras.utils.PyDataset and fit() rejects them.
"""
import math

import numpy as np
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        lo = idx * self.batch_size
        return self.x[lo : lo + self.batch_size], self.y[lo : lo + self.batch_size]


x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(Batches(x, y, 8), epochs=2, workers=2, max_queue_size=4, verbose=0)  # TypeError
