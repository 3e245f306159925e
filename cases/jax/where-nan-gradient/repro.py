"""The gradient of a jnp.where-guarded sqrt is NaN at the guarded point.

The forward value at 0 is 0, but d/dx sqrt(x) = inf at 0, and the gradient of
the unselected branch is multiplied by 0: 0 * inf = nan.
"""
import jax
import jax.numpy as jnp


def safe_sqrt(x):
    return jnp.where(x > 0, jnp.sqrt(x), 0.0)


def loss(x):
    return jnp.sum(safe_sqrt(x))


g = jax.grad(loss)(jnp.array([0.0, 4.0]))
print(g)
assert jnp.all(jnp.isfinite(g)), f"gradient is not finite: {g}"
