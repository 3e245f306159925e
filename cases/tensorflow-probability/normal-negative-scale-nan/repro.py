"""Fitting a Normal's scale stored as a raw `tf.Variable`.

A large gradient step pushes the scale below zero. TFP does not validate
parameters by default, so `log_prob` returns NaN and training silently breaks.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

data = tf.constant([0.1, -0.2, 0.05, 0.15, -0.1])
loc = tf.Variable(0.0)
scale = tf.Variable(1.0)  # must stay positive, but nothing enforces it
opt = tf.keras.optimizers.SGD(learning_rate=0.02)

losses = []
for step in range(40):
    with tf.GradientTape() as tape:
        nll = -tf.reduce_sum(tfd.Normal(loc, scale).log_prob(data))
    losses.append(float(nll))
    grads = tape.gradient(nll, [loc, scale])
    opt.apply_gradients(zip(grads, [loc, scale]))

print("losses:", np.round(losses, 3))
bad = [i for i, v in enumerate(losses) if not np.isfinite(v)]
assert not bad, f"negative log-likelihood is nan from step {bad[0]} on and off"
