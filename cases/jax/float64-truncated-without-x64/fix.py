"""Fix: enable 64-bit types at startup, before any array is created.

jax.config.update("jax_enable_x64", True) (or the environment variable
JAX_ENABLE_X64=1) makes float64/int64 available, and makes them the default
for Python floats and ints.
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

x = jnp.array([1.0 + 1e-10, 1.0], dtype=jnp.float64)
diff = x[0] - x[1]
print(x.dtype, diff)

assert x.dtype == jnp.float64, f"expected float64, got {x.dtype}"
assert abs(float(diff) - 1e-10) < 1e-15, f"expected 1e-10, got {float(diff)}"
# With x64 on, default float arrays are 64-bit too.
assert jnp.arange(3.0).dtype == jnp.float64
