"""Use the stable names: every preprocessing layer lives in keras.layers."""
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(8, 8, 3)),
        tf.keras.layers.Rescaling(1.0 / 255),
        tf.keras.layers.RandomFlip("horizontal"),
        tf.keras.layers.Conv2D(4, 3, activation="relu"),
    ]
)
assert model.output_shape == (None, 6, 6, 4), model.output_shape

# Rescaling maps 255 to 1; RandomFlip is the identity at inference.
head = tf.keras.Sequential(model.layers[:2])
x = np.random.default_rng(0).integers(0, 256, size=(2, 8, 8, 3)).astype("float32")
np.testing.assert_allclose(head(x, training=False).numpy(), x / 255.0, rtol=1e-6)
print("ok")
