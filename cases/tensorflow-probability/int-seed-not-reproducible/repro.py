"""An integer seed does not make TFP sampling reproducible within a process.

Passing `seed=42` (a Python int) selects TensorFlow's old stateful samplers:
the op seed is combined with hidden per-process state that advances on every
call, so running the same seeded MCMC twice gives two different chains.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions
target = tfd.Normal(loc=0., scale=1.)


def run_chain(seed):
    return tfp.mcmc.sample_chain(
        num_results=20,
        num_burnin_steps=5,
        current_state=tf.constant(0.),
        kernel=tfp.mcmc.RandomWalkMetropolis(target.log_prob),
        trace_fn=None,
        seed=seed,
    ).numpy()


first = run_chain(42)
second = run_chain(42)
print("first :", first[:4])
print("second:", second[:4])
assert np.array_equal(first, second), (
    f"same int seed gave different chains: {first[:3]} vs {second[:3]}")
