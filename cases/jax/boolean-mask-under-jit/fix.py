"""Fix: keep the full shape and pass the mask as where= to the reduction.

jnp.mean(x, where=mask) averages only the selected entries; the array keeps
its static shape, so jit can compile it.
"""
import jax
import jax.numpy as jnp


@jax.jit
def mean_of_positive(x):
    return jnp.mean(x, where=x > 0)


out = mean_of_positive(jnp.array([-2.0, 1.0, 3.0, -1.0, 5.0]))
print(out)
assert jnp.allclose(out, 3.0), out
