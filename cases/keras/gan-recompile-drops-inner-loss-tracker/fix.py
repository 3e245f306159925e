"""Compile the combined model first, the discriminator last, and switch
`discriminator.trainable` around each phase.

Compiling the discriminator after the combined model gives it its own loss
tracker back on keras 3.6/3.7. Keras 3 reads `trainable` when a train step
runs, not when compile() runs as Keras 2 did, so the flag is set before each
phase: otherwise the discriminator would never learn.
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

z = keras.Input(shape=(latent_dim,))
combined = keras.Model(z, discriminator(generator(z)))
combined.compile(optimizer="adam", loss="binary_crossentropy")
discriminator.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])


def snapshot(model):
    return [w.copy() for w in model.get_weights()]


def changed(before, model):
    return all(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))


for step in range(3):
    real = rng.normal(loc=2.0, size=(batch, data_dim)).astype("float32")
    noise = rng.normal(size=(batch, latent_dim)).astype("float32")
    fake = generator.predict(noise, verbose=0)

    discriminator.trainable = True
    d_before, g_before = snapshot(discriminator), snapshot(generator)
    d_real = discriminator.train_on_batch(real, np.ones((batch, 1)))
    d_fake = discriminator.train_on_batch(fake, np.zeros((batch, 1)))
    assert changed(d_before, discriminator), "discriminator did not train"
    assert not changed(g_before, generator), "generator changed in the discriminator step"

    discriminator.trainable = False
    d_before, g_before = snapshot(discriminator), snapshot(generator)
    g_loss = combined.train_on_batch(noise, np.ones((batch, 1)))
    assert changed(g_before, generator), "generator did not train"
    assert all(np.allclose(a, b) for a, b in zip(d_before, discriminator.get_weights())), (
        "discriminator changed in the generator step"
    )
    print(step, "d_loss", d_real[0], d_fake[0], "g_loss", g_loss)
print("ok")
