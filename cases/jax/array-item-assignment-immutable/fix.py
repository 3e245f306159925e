"""Fix: use the functional .at[] update, which returns a new array.

The result must be assigned back; the original array is left unchanged.
Under jax.jit, XLA can usually perform such updates in place.
"""
import jax
import jax.numpy as jnp

x = jnp.zeros(5)
y = x.at[0].set(1.0)
y = y.at[2:4].add(2.0)
print(y)

assert y.tolist() == [1.0, 0.0, 2.0, 2.0, 0.0], y.tolist()
assert x.tolist() == [0.0] * 5, "the original array is not modified"


@jax.jit
def bump(a, i):
    return a.at[i].add(10.0)


z = bump(y, 4)
assert z.tolist() == [1.0, 0.0, 2.0, 2.0, 10.0], z.tolist()
