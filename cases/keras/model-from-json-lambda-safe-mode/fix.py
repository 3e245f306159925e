"""Allow unsafe deserialization explicitly before model_from_json (trusted JSON only).

`keras.config.enable_unsafe_deserialization()` turns off the safe-mode check
for the process, so the Lambda's bytecode is restored. The JSON holds only the
architecture, so copy the weights over and compare outputs.
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
outputs = keras.layers.Lambda(lambda t: t * 2.0)(x)
model = keras.Model(inputs, outputs)
config_json = model.to_json()

# Only do this for JSON you produced yourself or otherwise trust: deserializing
# a lambda executes code stored in the file.
keras.config.enable_unsafe_deserialization()
restored = keras.models.model_from_json(config_json)
restored.set_weights(model.get_weights())

data = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
expected = model.predict(data, verbose=0)
got = restored.predict(data, verbose=0)
np.testing.assert_allclose(got, expected, rtol=1e-6)
kernel, bias = model.get_weights()
np.testing.assert_allclose(got, 2.0 * (data @ kernel + bias), rtol=1e-5)
print("ok")
