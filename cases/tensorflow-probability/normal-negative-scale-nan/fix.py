"""Keep the scale positive: a `TransformedVariable` optimises an unconstrained value.

`tfp.util.TransformedVariable(1.0, tfb.Softplus())` stores softplus^-1(scale)
and reads as softplus of it, so any gradient step leaves the scale positive.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd, tfb = tfp.distributions, tfp.bijectors

data = tf.constant([0.1, -0.2, 0.05, 0.15, -0.1])
loc = tf.Variable(0.0)
scale = tfp.util.TransformedVariable(1.0, tfb.Softplus())
opt = tf.keras.optimizers.SGD(learning_rate=0.02)

losses = []
for step in range(40):
    with tf.GradientTape() as tape:
        nll = -tf.reduce_sum(tfd.Normal(loc, scale).log_prob(data))
    losses.append(float(nll))
    variables = [loc] + list(scale.trainable_variables)
    grads = tape.gradient(nll, variables)
    opt.apply_gradients(zip(grads, variables))

print("losses:", np.round(losses, 3))
bad = [i for i, v in enumerate(losses) if not np.isfinite(v)]
assert not bad, f"negative log-likelihood is nan from step {bad[0]} on and off"
final_scale = float(tf.convert_to_tensor(scale))
assert 0 < final_scale < 1, final_scale  # moving towards the data's spread (about 0.13)
# With validate_args=True a negative scale is reported instead of giving NaN.
try:
    tfd.Normal(0.0, -1.0, validate_args=True)
except tf.errors.InvalidArgumentError as e:
    assert "must be positive" in str(e)
else:
    raise AssertionError("validate_args=True accepted a negative scale")
