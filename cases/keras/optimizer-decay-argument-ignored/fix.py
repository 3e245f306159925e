"""Express the Keras 2 `decay` as an InverseTimeDecay learning-rate schedule.

InverseTimeDecay(lr0, decay_steps=1, decay_rate=d) gives lr0 / (1 + d * step),
the formula Keras 2 applied for `decay=d`.
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
schedule = keras.optimizers.schedules.InverseTimeDecay(
    initial_learning_rate=0.1, decay_steps=1, decay_rate=0.01
)
optimizer = keras.optimizers.SGD(learning_rate=schedule)
model.compile(optimizer=optimizer, loss="mse")

x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
model.fit(x, x.sum(axis=1, keepdims=True), batch_size=8, epochs=5, verbose=0)

steps = int(keras.ops.convert_to_numpy(optimizer.iterations))
lr = float(keras.ops.convert_to_numpy(optimizer.learning_rate))  # the schedule's value at the current step
print("steps", steps, "learning rate", lr)
assert steps == 40, steps
np.testing.assert_allclose(lr, 0.1 / (1 + 0.01 * steps), rtol=1e-6)
