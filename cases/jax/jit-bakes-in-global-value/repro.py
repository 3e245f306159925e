"""A loss whose weight is read from a module-level variable, under jax.jit.

The first call traces the function and bakes weight=10.0 into the program;
later calls reuse it even after the variable changes.
"""
import jax
import jax.numpy as jnp

weight = 10.0


@jax.jit
def penalised_loss(x):
    return jnp.sum(x**2) * weight


x = jnp.array([1.0, 2.0])
print(penalised_loss(x))  # 50.0
weight = 20.0  # e.g. an annealing schedule updates the weight
out = penalised_loss(x)
print(out)
assert float(out) == 100.0, f"the jitted function still uses the old weight: {float(out)}"
