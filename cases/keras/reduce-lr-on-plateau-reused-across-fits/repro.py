"""One ReduceLROnPlateau instance reused for a second model cuts its learning rate.

Cross-validation style: the same callback is passed to fit() for each fold's new
model. keras 3.11 to 3.14 keep the best loss of the previous fit, so the new
model's falling loss never counts as an improvement and its learning rate is cut.
"""
import numpy as np
import keras
from keras import ops

rng = np.random.default_rng(0)
x = rng.normal(size=(128, 4)).astype("float32")
y = (x @ np.array([1.0, -2.0, 0.5, 3.0], "float32"))[:, None]
folds = [slice(0, 64), slice(64, 128)]

reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)

for fold, rows in enumerate(folds):
    keras.utils.set_random_seed(42)  # every fold starts from the same weights
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
    history = model.fit(
        x[rows], y[rows], epochs=6, batch_size=64, verbose=0,
        callbacks=[reduce_lr],  # the same instance for every fold
    )
    losses = history.history["loss"]
    lr = float(ops.convert_to_numpy(model.optimizer.learning_rate))
    print(f"fold {fold}: loss {losses[0]:.3f} -> {losses[-1]:.3f}, learning rate {lr}")

    assert all(b < a for a, b in zip(losses, losses[1:])), "loss did not fall every epoch"
    # The loss improved every epoch, so there was no plateau to react to.
    assert np.isclose(lr, 0.05), f"fold {fold}: learning rate cut to {lr} although the loss fell every epoch"
