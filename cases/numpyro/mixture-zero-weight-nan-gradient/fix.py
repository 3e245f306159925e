"""Gradient of a mixture's log-density with respect to its weights, one weight exactly 0.

Summing weight * density after shifting by the largest component log-density
(logsumexp written out) never takes log of a weight, so the gradient is finite
and exact in every entry, the switched-off component's included, on every release.
"""
import jax
import jax.numpy as jnp
import numpyro.distributions as dist

locs = jnp.array([0.0, 1.0, 2.0])
x = 0.3


def log_prob(w):
    log_dens = dist.Normal(locs, 1.0).log_prob(x)
    top = log_dens.max()
    return top + jnp.log(jnp.sum(w / w.sum() * jnp.exp(log_dens - top)))


w = jnp.array([0.0, 1.0, 1.0])  # the first component is switched off
value = log_prob(w)
grad = jax.grad(log_prob)(w)
print("log p(x):", value, "gradient:", grad)

# p(x) = sum_k w_k N(x; loc_k, 1) / S with S = sum(w), so for every
# component, the switched-off one included, d log p(x) / d w_k = N_k / (S p(x)) - 1 / S.
density = jnp.exp(dist.Normal(locs, 1.0).log_prob(x))
S = w.sum()
p = jnp.sum(w * density) / S
assert jnp.allclose(value, jnp.log(p), rtol=1e-5), value
assert jnp.all(jnp.isfinite(grad)), f"gradient is {grad}"
assert jnp.allclose(grad, density / (S * p) - 1.0 / S, rtol=1e-4), grad
