"""Use a stateless seed (a pair of int32s) for reproducible TFP sampling.

A seed of two integers, or a shape-[2] int32 tensor such as the output of
`tfp.random.sanitize_seed`, switches TFP to stateless samplers: the result is a
pure function of the seed, so the same seed gives the same chain every time.
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


first = run_chain((24, 42))
second = run_chain((24, 42))
print("first :", first[:4])
print("second:", second[:4])
assert np.array_equal(first, second), "same stateless seed gave different chains"

# sanitize_seed turns an int into a stateless seed tensor of shape [2].
seed = tfp.random.sanitize_seed(42)
assert seed.shape == (2,) and seed.dtype == tf.int32
np.testing.assert_array_equal(run_chain(seed), run_chain(seed))

# Different seeds still give different chains.
assert not np.array_equal(first, run_chain((24, 43)))

# Split one seed into independent seeds for several calls.
s1, s2 = tfp.random.split_seed((24, 42), n=2)
x1 = target.sample(5, seed=s1).numpy()
np.testing.assert_array_equal(x1, target.sample(5, seed=s1).numpy())
assert not np.array_equal(x1, target.sample(5, seed=s2).numpy())
print("ok")
