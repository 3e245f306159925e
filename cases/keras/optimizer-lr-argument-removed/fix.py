"""Pass the learning rate as `learning_rate` (or positionally).

`fix.py` also checks that the value really is used: one SGD step on a known
loss moves the weights by exactly learning_rate * gradient.
"""
import numpy as np
import keras

model = keras.Sequential(
    [keras.Input(shape=(3,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")]
)
optimizer = keras.optimizers.Adam(learning_rate=1e-2)
model.compile(optimizer=optimizer, loss="mse")
assert np.isclose(float(optimizer.learning_rate), 1e-2), optimizer.learning_rate

# The same keyword on plain SGD: one full-batch step, zero kernel, x = 1, y = 1.
sgd_model = keras.Sequential(
    [keras.Input(shape=(3,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")]
)
sgd_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
sgd_model.fit(x, y, batch_size=8, epochs=1, verbose=0)
# d(mean((x.w - 1)^2))/dw = 2 * (0 - 1) * x = -2 for each weight; step = 0.05 * 2.
np.testing.assert_allclose(sgd_model.get_weights()[0], np.full((3, 1), 0.1), rtol=1e-6)
print("ok")
