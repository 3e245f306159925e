"""Boolean-mask indexing inside jax.jit raises NonConcreteBooleanIndexError.

The mean of the positive entries selects `x[x > 0]`, whose length depends
on the values of `x`, which jit does not know while tracing.
"""
import jax
import jax.numpy as jnp


@jax.jit
def mean_of_positive(x):
    return x[x > 0].mean()


print(mean_of_positive(jnp.array([-2.0, 1.0, 3.0, -1.0, 5.0])))
