"""Say what to trace: `trace_fn=None` returns only the samples.

Here a small callback keeps the acceptance flags, which is all the
diagnostics need. Warnings are errors in this script to show none is raised.
"""
import warnings

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

warnings.simplefilter("error")
tfd = tfp.distributions

target = tfd.Normal(loc=1.0, scale=2.0)
kernel = tfp.mcmc.HamiltonianMonteCarlo(
    target.log_prob, step_size=0.8, num_leapfrog_steps=4)


@tf.function
def run():
    return tfp.mcmc.sample_chain(
        num_results=300, num_burnin_steps=100, current_state=0.0,
        kernel=kernel, seed=(0, 1),
        trace_fn=lambda _, results: results.is_accepted)


samples, is_accepted = run()
print("samples:", samples.shape, "acceptance:", float(tf.reduce_mean(tf.cast(is_accepted, tf.float32))))
assert samples.shape == (300,) and is_accepted.shape == (300,)
assert abs(float(np.mean(samples)) - 1.0) < 0.6
assert 1.0 < float(np.std(samples)) < 3.0
