"""A Python global read inside a `tf.function` is frozen at trace time.

A loss weight is annealed from 0 to 1 by reassigning a Python float. The
`tf.function` was traced with the first value and keeps using it: the loss
never changes, and nothing warns.
"""
import tensorflow as tf

kl_weight = 0.0


@tf.function
def loss_fn(recon, kl):
    return recon + kl_weight * kl  # kl_weight is read once, while tracing


recon, kl = tf.constant(1.0), tf.constant(2.0)
losses = []
for w in [0.0, 0.5, 1.0]:  # annealing schedule
    kl_weight = w
    losses.append(float(loss_fn(recon, kl)))

assert losses == [1.0, 2.0, 3.0], f"loss ignores the new kl_weight: {losses}"
