"""Classic Keras GAN loop: compiling the combined model breaks the compiled discriminator.

The discriminator is compiled, then used inside a combined generator+discriminator
model that is compiled too; keras 3.6 and 3.7 then fail on
discriminator.train_on_batch (keras-team/keras#20474).
"""
import numpy as np
import keras

latent_dim, data_dim, batch = 4, 3, 16
rng = np.random.default_rng(0)

generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(data_dim),
    ],
    name="generator",
)
discriminator = keras.Sequential(
    [
        keras.Input(shape=(data_dim,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ],
    name="discriminator",
)
discriminator.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

# The combined model trains the generator only.
discriminator.trainable = False
z = keras.Input(shape=(latent_dim,))
combined = keras.Model(z, discriminator(generator(z)))
combined.compile(optimizer="adam", loss="binary_crossentropy")

for step in range(3):
    real = rng.normal(loc=2.0, size=(batch, data_dim)).astype("float32")
    noise = rng.normal(size=(batch, latent_dim)).astype("float32")
    fake = generator.predict(noise, verbose=0)
    d_real = discriminator.train_on_batch(real, np.ones((batch, 1)))  # fails on keras 3.6/3.7
    d_fake = discriminator.train_on_batch(fake, np.zeros((batch, 1)))
    g_loss = combined.train_on_batch(noise, np.ones((batch, 1)))
    print(step, "d_loss", d_real[0], d_fake[0], "g_loss", g_loss)
