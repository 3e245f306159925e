"""Create a new ReduceLROnPlateau for each fit() call.

A fresh callback starts with no best loss, so each fold's model is judged on its
own history on every keras 3 release.
"""
import numpy as np
import keras
from keras import ops

rng = np.random.default_rng(0)
x = rng.normal(size=(128, 4)).astype("float32")
y = (x @ np.array([1.0, -2.0, 0.5, 3.0], "float32"))[:, None]
folds = [slice(0, 64), slice(64, 128)]

for fold, rows in enumerate(folds):
    reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    keras.utils.set_random_seed(42)  # every fold starts from the same weights
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
    history = model.fit(
        x[rows], y[rows], epochs=6, batch_size=64, verbose=0,
        callbacks=[reduce_lr],  # a new instance for this fold
    )
    losses = history.history["loss"]
    lr = float(ops.convert_to_numpy(model.optimizer.learning_rate))
    print(f"fold {fold}: loss {losses[0]:.3f} -> {losses[-1]:.3f}, learning rate {lr}")

    assert all(b < a for a, b in zip(losses, losses[1:])), "loss did not fall every epoch"
    assert np.isclose(lr, 0.05), f"fold {fold}: learning rate cut to {lr} although the loss fell every epoch"
print("ok")
