"""jax.grad refuses integer inputs.

jnp.tanh(2) works (the int is promoted inside the function), but the
derivative with respect to an int32 argument is not defined, so grad raises.
"""
import jax
import jax.numpy as jnp

print(jnp.tanh(2))
dtanh = jax.grad(jnp.tanh)
print(dtanh(2))
