"""Sampling a TFP distribution with `x.shape` inside a tf-keras `train_step`.

`Model.fit` traces `train_step` with an unknown batch dimension, so
`x.shape` is `(None, 3)` there and `Distribution.sample` cannot turn it into
a sample shape.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
import tf_keras as keras

tfd = tfp.distributions


class NoisyRegressor(keras.Model):
    """Adds Gaussian input noise during training."""

    def train_step(self, data):
        x, y = data
        # x.shape is (None, 3) while fit() traces this function
        noise = tfd.Normal(0.0, 1.0).sample(x.shape)
        with tf.GradientTape() as tape:
            y_pred = self(x + 0.1 * noise, training=True)
            loss = self.compiled_loss(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


tf.random.set_seed(0)
inputs = keras.Input(shape=(3,))
model = NoisyRegressor(inputs, keras.layers.Dense(1)(inputs))
model.compile(optimizer="sgd", loss="mse")

x = np.random.default_rng(0).normal(size=(30, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)  # batch dim: None

model.fit(ds, epochs=1, verbose=0)  # ValueError
