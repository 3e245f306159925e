"""Seed the initializer with a nonzero integer.

Before keras 3.2, `seed or make_default_seed()` replaced a seed of 0 by a random
one; any other integer is kept, so both models start from the same weights.
"""
import numpy as np
import keras


def build_model():
    return keras.Sequential([
        keras.Input(shape=(3,)),
        keras.layers.Dense(4, kernel_initializer=keras.initializers.GlorotUniform(seed=1)),
    ])


first = build_model().layers[0].get_weights()[0]
second = build_model().layers[0].get_weights()[0]
print("first kernel row:", first[0])
print("second kernel row:", second[0])
assert np.array_equal(first, second), "GlorotUniform(seed=1) gave different weights in the two models"
# Still a Glorot-uniform draw: bounded by sqrt(6 / (fan_in + fan_out)) and not constant.
limit = np.sqrt(6.0 / (3 + 4))
assert first.shape == (3, 4) and np.all(np.abs(first) <= limit) and np.ptp(first) > 0
print("ok")
