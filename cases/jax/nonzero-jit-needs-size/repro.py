"""jnp.nonzero under jax.jit without size= raises ConcretizationTypeError.

The number of non-zero entries depends on the values of `x`, which are not
known while jit traces the function, so the output shape cannot be computed.
"""
import jax
import jax.numpy as jnp


@jax.jit
def nonzero_indices(x):
    (idx,) = jnp.nonzero(x)
    return idx


x = jnp.array([0, 3, 0, 5, 7, 0])
print(nonzero_indices(x))
