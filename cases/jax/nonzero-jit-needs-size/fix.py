"""Fix: give jnp.nonzero a static upper bound with size= and a fill_value.

The result always has `size` entries; unused slots are filled with
`fill_value`, so the output shape no longer depends on the data.
"""
import jax
import jax.numpy as jnp


@jax.jit
def nonzero_indices(x):
    (idx,) = jnp.nonzero(x, size=x.shape[0], fill_value=-1)
    return idx


x = jnp.array([0, 3, 0, 5, 7, 0])
idx = nonzero_indices(x)
print(idx)

assert idx.shape == (6,), idx.shape
assert idx.tolist() == [1, 3, 4, -1, -1, -1], idx.tolist()
# Keep only the real hits (this step is outside jit, where shapes may vary).
assert idx[idx >= 0].tolist() == [1, 3, 4]
