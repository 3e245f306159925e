"""Give the layer a keras.random.SeedGenerator and pass it as `seed`.

The SeedGenerator's state is a Keras variable, so it is threaded through the
jit-compiled step and advances on every call: the noise is random, differs from
batch to batch and from call to call, and is reproducible from the seed.
"""
import numpy as np
import keras


class GaussianJitter(keras.layers.Layer):
    def __init__(self, seed=1337, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x):
        return x + 0.1 * keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)


print("keras", keras.__version__, "backend", keras.backend.backend())
model = keras.Sequential([keras.Input(shape=(3,)), GaussianJitter()])
x = np.zeros((256, 3), "float32")
a = model.predict(x, batch_size=64, verbose=0)
b = model.predict(x, batch_size=64, verbose=0)

assert a.shape == (256, 3)
assert abs(a.std() - 0.1) < 0.01, a.std()
assert not np.array_equal(a[:64], a[64:128]), "noise repeats from batch to batch"
assert not np.array_equal(a, b), "noise repeats from call to call"
print("std", a.std())
print("ok")
