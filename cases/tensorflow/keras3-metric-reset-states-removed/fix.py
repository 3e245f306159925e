"""Reset the metric with `reset_state()`, the current name of the method.

Keras 2 kept `reset_states()` as an old alias; Keras 3 (`tf.keras` on
TensorFlow 2.16+) dropped it. `reset_state()` works on both.
"""
import numpy as np
import tensorflow as tf

x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
y = 3 * x + 1
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)

model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
loss_object = tf.keras.losses.MeanSquaredError()
optimizer = tf.keras.optimizers.Adam(learning_rate=0.1)
train_loss = tf.keras.metrics.Mean(name="train_loss")


@tf.function
def train_step(xb, yb):
    with tf.GradientTape() as tape:
        loss = loss_object(yb, model(xb, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss(loss)


for epoch in range(60):
    train_loss.reset_state()  # the name in Keras 2.5+ and Keras 3
    for xb, yb in dataset:
        train_step(xb, yb)

print("last epoch loss:", float(train_loss.result()))
assert float(train_loss.result()) < 1e-3
w, b = model.layers[-1].get_weights()
np.testing.assert_allclose(w.ravel(), [3.0], atol=0.05)
np.testing.assert_allclose(b, [1.0], atol=0.05)
