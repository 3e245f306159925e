"""`from jax.config import config` fails from JAX 0.4.25 on.

Older tutorials enable 64-bit floats through the jax.config submodule; new
releases raise ImportError (ModuleNotFoundError from 0.4.29 on).
"""
from jax.config import config

config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

x = jnp.linspace(0.0, 1.0, 5)
print(x.dtype)
assert x.dtype == jnp.float64
