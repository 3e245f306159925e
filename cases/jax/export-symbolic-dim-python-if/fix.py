"""Fix: state what holds for b (here b >= 8), so the comparison is decidable.

Export only for inputs of at least 8 entries; shorter inputs are padded
before calling the exported function.
"""
import jax
import jax.numpy as jnp
from jax import export


def pad_to_eight(x):
    if x.shape[0] < 8:
        x = jnp.pad(x, (0, 8 - x.shape[0]))
    return x * 2.0


(b,) = export.symbolic_shape("b", constraints=("b >= 8",))
exported = export.export(jax.jit(pad_to_eight))(jax.ShapeDtypeStruct((b,), jnp.float32))
print(exported.in_avals)

out = exported.call(jnp.ones(10, jnp.float32))
assert out.shape == (10,) and float(out.sum()) == 20.0, out
out8 = exported.call(jnp.arange(8, dtype=jnp.float32))
assert out8.tolist() == [2.0 * i for i in range(8)], out8
