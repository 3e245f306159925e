"""keras.random.normal with a symbolic, partly-undefined shape fails on the torch backend.

`keras.ops.shape(z_mean)` of a functional-API input is `(None, 16, 4)`: the
batch size is unknown until data arrives. Calling a random op with that shape
outside a layer asks for a concrete tensor right now, which torch cannot make.
"""
import keras

print("keras", keras.__version__, "backend", keras.backend.backend())

z_mean = keras.Input(shape=(16, 4))
eps = keras.random.normal(shape=keras.ops.shape(z_mean))  # raises on torch
