"""Sampling a TFP distribution inside a tf-keras `train_step`, fixed.

Pass the dynamic shape `tf.shape(x)` (a tensor, known when the step runs)
instead of the static `x.shape`, whose batch dimension is `None` while
`fit()` traces `train_step`.
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
        noise = tfd.Normal(0.0, 1.0).sample(tf.shape(x))  # dynamic shape
        tf.debugging.assert_equal(tf.shape(noise), tf.shape(x))
        with tf.GradientTape() as tape:
            y_pred = self(x + 0.1 * noise, training=True)
            loss = self.compiled_loss(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss, "batch": tf.shape(noise)[0]}


tf.random.set_seed(0)
inputs = keras.Input(shape=(3,))
model = NoisyRegressor(inputs, keras.layers.Dense(1)(inputs))
model.compile(optimizer="sgd", loss="mse")

x = np.random.default_rng(0).normal(size=(30, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)  # batch dim: None

batches = []
cb = keras.callbacks.LambdaCallback(
    on_train_batch_end=lambda step, logs: batches.append(int(logs["batch"])))
history = model.fit(ds, epochs=1, verbose=0, callbacks=[cb])

# one noise sample per example, including the short last batch of 6
assert batches == [8, 8, 8, 6], f"noise batch sizes: {batches}"
loss = history.history["loss"][0]
assert np.isfinite(loss), f"loss is {loss}"
print("ok: noise batch sizes", batches, "loss", loss)
