"""A one-input Functional model declared with a list of inputs warns on every call.

keras.Model([inputs], outputs) expects a list of one array; fit() and predict()
receive a bare array, and keras 3.6 to 3.9 warn that the structures differ.
"""
import numpy as np
import keras

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1)(inputs)
model = keras.Model([inputs], outputs)  # a list holding the single input
model.compile(optimizer="sgd", loss="mse")

x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model.fit(x, y, epochs=1, batch_size=8, verbose=0)  # UserWarning on keras 3.6-3.9
pred = model.predict(x, verbose=0)
print("predictions", pred.shape)
