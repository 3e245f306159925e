"""Draw the noise inside a layer's call(), where the batch size is known.

A small Sampling layer (the usual VAE reparameterisation) calls
`keras.random.normal` on the shape of its actual input, with a SeedGenerator
so the op is also valid under jit-compiled backends.
"""
import numpy as np
import keras


class Sampling(keras.layers.Layer):
    def __init__(self, seed=1337, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(keras.ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + keras.ops.exp(0.5 * z_log_var) * eps


print("keras", keras.__version__, "backend", keras.backend.backend())

z_mean = keras.Input(shape=(16, 4))
z_log_var = keras.Input(shape=(16, 4))
z = Sampling()([z_mean, z_log_var])
model = keras.Model([z_mean, z_log_var], z)

batch = 512
mean = np.full((batch, 16, 4), 3.0, dtype="float32")
log_var = np.full((batch, 16, 4), np.log(0.25), dtype="float32")  # std 0.5
out = keras.ops.convert_to_numpy(model([mean, log_var]))

assert out.shape == (batch, 16, 4), out.shape
assert abs(out.mean() - 3.0) < 0.02, out.mean()
assert abs(out.std() - 0.5) < 0.02, out.std()
print("mean", out.mean(), "std", out.std())
print("ok")
