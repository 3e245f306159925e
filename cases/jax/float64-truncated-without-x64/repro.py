"""Asking JAX for float64 without enabling x64 gives float32, with only a warning.

JAX only emits a UserWarning ("Explicitly requested dtype float64 ... will be
truncated to dtype float32") and carries on; the small difference below,
which float64 can represent, becomes exactly 0 in float32.
"""
import jax.numpy as jnp

x = jnp.array([1.0 + 1e-10, 1.0], dtype=jnp.float64)
diff = x[0] - x[1]
print(x.dtype, diff)

assert x.dtype == jnp.float64, f"expected float64, got {x.dtype}"
assert abs(float(diff) - 1e-10) < 1e-15, f"expected 1e-10, got {float(diff)}"
