"""HMC with `tfp.mcmc.sample_chain`, called the way older tutorials do.

Without `trace_fn`, every kernel result of every step is stacked and
returned, and TFP warns that this default is deprecated.
"""
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

target = tfd.Normal(loc=1.0, scale=2.0)
kernel = tfp.mcmc.HamiltonianMonteCarlo(
    target.log_prob, step_size=0.8, num_leapfrog_steps=4)


@tf.function
def run():
    return tfp.mcmc.sample_chain(
        num_results=300, num_burnin_steps=100, current_state=0.0,
        kernel=kernel, seed=(0, 1))


result = run()
samples, trace = result.all_states, result.trace
print(type(result).__name__, "samples:", samples.shape,
      "traced fields:", len(tf.nest.flatten(trace)))
