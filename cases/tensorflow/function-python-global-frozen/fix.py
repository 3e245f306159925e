"""A changing hyperparameter inside a `tf.function`, fixed.

Keep the value in a `tf.Variable` and `assign` new values. The graph reads
the variable each time it runs, so it sees every update without retracing.
"""
import tensorflow as tf

kl_weight = tf.Variable(0.0, trainable=False)


@tf.function
def loss_fn(recon, kl):
    return recon + kl_weight * kl  # read from the variable on every call


recon, kl = tf.constant(1.0), tf.constant(2.0)
losses = []
for w in [0.0, 0.5, 1.0]:  # annealing schedule
    kl_weight.assign(w)
    losses.append(float(loss_fn(recon, kl)))

assert losses == [1.0, 2.0, 3.0], f"loss ignores the new kl_weight: {losses}"
traces = loss_fn.experimental_get_tracing_count()
assert traces == 1, f"traced {traces} times"
print("ok: losses", losses, "traces", traces)
