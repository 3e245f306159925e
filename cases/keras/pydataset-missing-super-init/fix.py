"""Accept **kwargs and pass them to super().__init__().

The data-loading options (workers, use_multiprocessing, max_queue_size) now
belong to the dataset and are honoured.
"""
import math
import warnings

import numpy as np
import keras

warnings.filterwarnings("error", message="Your `PyDataset` class should call")


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
data = Batches(x, y, batch_size=8, workers=2)
assert data.workers == 2 and data.use_multiprocessing is False

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
history = model.fit(data, epochs=2, verbose=0)
losses = history.history["loss"]
steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
assert steps == 2 * 4, steps  # every batch of both epochs was delivered
assert len(losses) == 2 and np.isfinite(losses).all(), losses
print("steps", steps, "loss", losses)
