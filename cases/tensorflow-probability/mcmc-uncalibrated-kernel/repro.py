"""Langevin MCMC built from `tfp.mcmc.UncalibratedLangevin` alone.

The "uncalibrated" kernel is only the Langevin proposal; every proposal is
accepted, so the chain's stationary distribution is not the target. TFP warns.
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

target = tfd.Normal(loc=0.0, scale=1.0)
kernel = tfp.mcmc.UncalibratedLangevin(target.log_prob, step_size=1.2)


@tf.function
def run():
    return tfp.mcmc.sample_chain(
        num_results=2000, num_burnin_steps=200, current_state=tf.zeros([4]),
        kernel=kernel, trace_fn=None, seed=(0, 1))


samples = run()
print("sample std (target 1.0):", float(np.std(samples)))
