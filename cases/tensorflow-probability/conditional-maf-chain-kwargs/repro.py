"""Conditional masked autoregressive flows inside a `tfb.Chain`.

`bijector_kwargs={"conditional_input": c}` reaches the Chain, which only
forwards keyword arguments keyed by the names of its inner bijectors. The
flows get no `conditional_input` and the network raises.
"""
import tensorflow as tf
import tensorflow_probability as tfp

tfd, tfb = tfp.distributions, tfp.bijectors


def made():
    return tfb.AutoregressiveNetwork(
        params=2, hidden_units=[8], event_shape=[2],
        conditional=True, conditional_event_shape=[1])


tf.random.set_seed(0)
mafs = [tfb.MaskedAutoregressiveFlow(made(), name=f"maf{i}") for i in range(2)]
chain = tfb.Chain([mafs[0], tfb.Permute([1, 0]), mafs[1]])
flow = tfd.TransformedDistribution(
    tfd.MultivariateNormalDiag(loc=tf.zeros(2)), chain)

x = tf.random.normal([5, 2])
c = tf.random.normal([5, 1])  # one conditioning value per row of x

lp = flow.log_prob(x, bijector_kwargs={"conditional_input": c})  # ValueError
