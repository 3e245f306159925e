"""jnp.arange(n) with a jitted argument n raises ConcretizationTypeError.

The length of the result is the value of `n`, which jit only knows as an
abstract int32 scalar while tracing.
"""
import jax
import jax.numpy as jnp


@jax.jit
def discounted_return(rewards, n, gamma):
    steps = jnp.arange(n)
    return jnp.sum(rewards[:n] * gamma**steps)


print(discounted_return(jnp.array([1.0, 1.0, 1.0, 1.0]), 3, 0.5))
