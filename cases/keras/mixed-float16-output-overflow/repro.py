"""Keras mixed_float16: a regression output above 65504 becomes inf, without an error.

Under the "mixed_float16" policy every layer computes in float16, the final
Dense included, so predictions larger than float16's maximum (65504) overflow
to inf, and the loss becomes inf, without any error.
"""
import numpy as np
import keras

keras.mixed_precision.set_global_policy("mixed_float16")
keras.utils.set_random_seed(0)

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(8, activation="relu"),
    # Start the output near the target mean, as a trained model would be.
    keras.layers.Dense(1, bias_initializer=keras.initializers.Constant(80_000.0)),
])
model.compile(optimizer="adam", loss="mse")

# Targets around 80 000 (e.g. prices in dollars).
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (80_000 + 1_000 * x[:, :1]).astype("float32")

pred = model.predict(x, verbose=0)
print("prediction dtype:", pred.dtype, "first values:", pred[:3].ravel())
print("mse loss:", model.evaluate(x, y, verbose=0))
assert np.all(np.isfinite(pred)), f"{int(np.sum(~np.isfinite(pred)))} of {pred.size} predictions are not finite (dtype {pred.dtype})"
