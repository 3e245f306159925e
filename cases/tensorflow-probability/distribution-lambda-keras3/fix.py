"""Build models that use tfp.layers with tf-keras, not Keras 3.

`import tf_keras` gives the Keras 2 API that TFP's layers are written for. The
same probabilistic regression then builds, trains and returns a distribution.
(Setting TF_USE_LEGACY_KERAS=1 before importing TensorFlow makes `tf.keras`
point to tf-keras as well.)
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
import tf_keras

tfd = tfp.distributions
tf_keras.utils.set_random_seed(0)

rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, size=(256, 1)).astype("float32")
y = (2.0 * x + 0.5 + 0.1 * rng.normal(size=(256, 1))).astype("float32")

inputs = tf_keras.Input(shape=(1,))
params = tf_keras.layers.Dense(2)(inputs)
outputs = tfp.layers.DistributionLambda(
    lambda t: tfd.Normal(loc=t[..., :1], scale=1e-3 + tf.math.softplus(t[..., 1:]))
)(params)
model = tf_keras.Model(inputs, outputs)


def negloglik(y_true, dist):
    return -dist.log_prob(y_true)


model.compile(optimizer=tf_keras.optimizers.Adam(0.05), loss=negloglik)
before = model.evaluate(x, y, verbose=0)
model.fit(x, y, epochs=20, batch_size=64, verbose=0)
after = model.evaluate(x, y, verbose=0)
print(f"NLL before {before:.3f}, after {after:.3f}")

dist = model(x[:5])
assert isinstance(dist, tfd.Distribution), type(dist)
assert tuple(dist.batch_shape) == (5, 1), dist.batch_shape
assert np.all(np.isfinite(dist.log_prob(y[:5]).numpy()))
assert after < before - 0.5, (before, after)
print("ok")
