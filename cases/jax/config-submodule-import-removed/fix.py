"""Fix: use the config object on the jax package, `jax.config`."""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

x = jnp.linspace(0.0, 1.0, 5)
print(x.dtype)
assert x.dtype == jnp.float64
assert float(x[1]) == 0.25
