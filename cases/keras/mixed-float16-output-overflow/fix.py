"""Keep the model's output layer in float32 under mixed precision.

Passing dtype="float32" to the last layer makes it compute in float32 (its
weights already are float32), so large outputs and the loss stay finite while
the hidden layers still run in float16.
"""
import numpy as np
import keras

keras.mixed_precision.set_global_policy("mixed_float16")
keras.utils.set_random_seed(0)

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(8, activation="relu"),
    # Start the output near the target mean, as a trained model would be.
    keras.layers.Dense(1, dtype="float32",
                       bias_initializer=keras.initializers.Constant(80_000.0)),
])
model.compile(optimizer="adam", loss="mse")

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (80_000 + 1_000 * x[:, :1]).astype("float32")

assert model.layers[0].compute_dtype == "float16"
assert model.layers[-1].compute_dtype == "float32"

pred = model.predict(x, verbose=0)
print("prediction dtype:", pred.dtype, "first values:", pred[:3].ravel())
assert pred.dtype == np.float32, pred.dtype
assert np.all(np.isfinite(pred))
assert np.all(np.abs(pred - 80_000) < 1_000), pred[:3].ravel()

history = model.fit(x, y, epochs=1, verbose=0)
assert np.isfinite(history.history["loss"][0]), history.history
print("ok")
