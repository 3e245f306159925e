"""TF_USE_LEGACY_KERAS=1 makes tf.keras Keras 2 (tf_keras) while `import keras` stays Keras 3.

Code that mixes the two names, harmless before TensorFlow 2.16, now hands
Keras 2 layers to a Keras 3 model, which rejects them.
"""
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # e.g. for a library that needs Keras 2

import numpy as np
import tensorflow as tf
import keras

print("tf.keras is", tf.keras.__name__, "| keras", keras.__version__)
model = keras.Sequential(  # raises ValueError
    [
        tf.keras.layers.Dense(8, activation="relu", input_shape=(3,)),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
