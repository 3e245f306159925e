"""Add the Metropolis-Hastings correction: MALA instead of unadjusted Langevin.

`MetropolisAdjustedLangevinAlgorithm` is `MetropolisHastings` wrapped around
`UncalibratedLangevin`; it accepts or rejects each proposal, so the chain
targets the right distribution. Warnings are errors here to show none is raised.
"""
import warnings

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

warnings.simplefilter("error")
tfd = tfp.distributions

target = tfd.Normal(loc=0.0, scale=1.0)
kernel = tfp.mcmc.MetropolisAdjustedLangevinAlgorithm(target.log_prob, step_size=1.2)


@tf.function
def run():
    return tfp.mcmc.sample_chain(
        num_results=2000, num_burnin_steps=200, current_state=tf.zeros([4]),
        kernel=kernel, trace_fn=None, seed=(0, 1))


samples = run()
std = float(np.std(samples))
print("sample std (target 1.0):", std)
assert abs(std - 1.0) < 0.1, f"sample std {std:.3f}, expected about 1.0"
