"""Train on a backend with gradients (here JAX); keep NumPy for inference only.

The backend is chosen once per process, before keras is imported. A model
trained here and saved as .keras can be loaded and run with KERAS_BACKEND=numpy.
"""
import os
import tempfile

os.environ["KERAS_BACKEND"] = "jax"  # before the first `import keras`

import numpy as np
import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
true_w = np.array([[1.0], [-2.0], [0.5]], "float32")
y = x @ true_w

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)

kernel, bias = model.get_weights()
np.testing.assert_allclose(kernel, true_w, atol=1e-2)
np.testing.assert_allclose(bias, [0.0], atol=1e-2)
assert history.history["loss"][-1] < 1e-3, history.history["loss"][-1]

path = os.path.join(tempfile.mkdtemp(), "linear.keras")
model.save(path)  # loadable with KERAS_BACKEND=numpy for inference
print("backend", keras.backend.backend(), "kernel", kernel.ravel(), "saved", path)
