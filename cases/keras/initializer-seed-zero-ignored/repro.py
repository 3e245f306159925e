"""An initializer given seed=0 draws different weights each time (keras before 3.2).

Two copies of a model are built with GlorotUniform(seed=0) to compare two
optimizers from the same starting point; seed 0 was treated as "no seed".
"""
import numpy as np
import keras


def build_model():
    return keras.Sequential([
        keras.Input(shape=(3,)),
        keras.layers.Dense(4, kernel_initializer=keras.initializers.GlorotUniform(seed=0)),
    ])


first = build_model().layers[0].get_weights()[0]
second = build_model().layers[0].get_weights()[0]
print("first kernel row:", first[0])
print("second kernel row:", second[0])
assert np.array_equal(first, second), "GlorotUniform(seed=0) gave different weights in the two models"
