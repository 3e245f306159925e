"""Gradient of a mixture's log-density with respect to its weights, one weight exactly 0.

The log-density itself is finite, but on affected releases its gradient is
nan in every entry, because the weights pass through log(0) on the way.
"""
import jax
import jax.numpy as jnp
import numpyro.distributions as dist

locs = jnp.array([0.0, 1.0, 2.0])
x = 0.3


def log_prob(w):
    mixing = dist.Categorical(probs=w / w.sum())
    components = dist.Normal(locs, 1.0)
    return dist.MixtureSameFamily(mixing, components).log_prob(x)


w = jnp.array([0.0, 1.0, 1.0])  # the first component is switched off
value = log_prob(w)
grad = jax.grad(log_prob)(w)  # nan in every entry on affected releases
print("log p(x):", value, "gradient:", grad)

# p(x) = sum_k w_k N(x; loc_k, 1) / S with S = sum(w), so for every
# component with a positive weight d log p(x) / d w_k = N_k / (S p(x)) - 1 / S.
density = jnp.exp(dist.Normal(locs, 1.0).log_prob(x))
S = w.sum()
p = jnp.sum(w * density) / S
assert jnp.allclose(value, jnp.log(p), rtol=1e-5), value
assert jnp.all(jnp.isfinite(grad)), f"Mixture log_prob gradient is {grad}"
on = w > 0
assert jnp.allclose(grad[on], (density / (S * p) - 1.0 / S)[on], rtol=1e-4), grad
