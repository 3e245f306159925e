"""Keras 3: SGD(learning_rate=0.1, decay=0.01) warns and keeps the rate at 0.1.

Keras 2 optimizers applied lr / (1 + decay * iterations) after every step; the
Keras 3 optimizers drop `decay` with a UserWarning and train at a constant rate.
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(learning_rate=0.1, decay=0.01)  # UserWarning
model.compile(optimizer=optimizer, loss="mse")

x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
model.fit(x, x.sum(axis=1, keepdims=True), batch_size=8, epochs=5, verbose=0)
steps = int(keras.ops.convert_to_numpy(optimizer.iterations))
lr = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
print("steps", steps, "learning rate", lr)  # still 0.1 after 40 steps
