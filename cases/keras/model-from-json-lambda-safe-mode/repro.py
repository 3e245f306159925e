"""keras.models.model_from_json refuses a Lambda layer and has no safe_mode argument.

Rebuilding a model that contains a Python lambda from its JSON config is blocked
by Keras' safe mode, and model_from_json() offers no `safe_mode=False` to allow
it, although the error message suggests passing one.
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
outputs = keras.layers.Lambda(lambda t: t * 2.0)(x)
model = keras.Model(inputs, outputs)

config_json = model.to_json()
restored = keras.models.model_from_json(config_json)  # raises ValueError
