"""Exporting a function that branches on a symbolic dimension fails.

With a symbolic length `b`, `x.shape[0] < 8` is true for some b and false
for others, so JAX cannot pick the Python branch.
"""
import jax
import jax.numpy as jnp
from jax import export


def pad_to_eight(x):
    if x.shape[0] < 8:
        x = jnp.pad(x, (0, 8 - x.shape[0]))
    return x * 2.0


(b,) = export.symbolic_shape("b")
exported = export.export(jax.jit(pad_to_eight))(jax.ShapeDtypeStruct((b,), jnp.float32))
print(exported.in_avals)
