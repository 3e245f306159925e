"""tfp.layers.DistributionLambda cannot be used in a Keras 3 model.

TFP's layers are built on tf-keras (Keras 2). Calling one on a Keras 3
symbolic input (`keras.Input`) makes it run TensorFlow ops on a Keras 3
KerasTensor, which Keras 3 forbids.
"""
import keras
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions
print("keras", keras.__version__, "tfp", tfp.__version__)

inputs = keras.Input(shape=(1,))
params = keras.layers.Dense(2)(inputs)
outputs = tfp.layers.DistributionLambda(
    lambda t: tfd.Normal(loc=t[..., :1], scale=1e-3 + tf.math.softplus(t[..., 1:]))
)(params)  # raises ValueError
model = keras.Model(inputs, outputs)
