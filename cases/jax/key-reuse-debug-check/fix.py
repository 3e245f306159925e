"""Fix: split the key and use each subkey once."""
import jax
import jax.numpy as jnp

jax.config.update("jax_debug_key_reuse", True)

key = jax.random.key(0)
key1, key2 = jax.random.split(key)
w1 = jax.random.normal(key1, (3, 3))
w2 = jax.random.normal(key2, (3, 3))
print(w1 - w2)

assert not jnp.allclose(w1, w2), "the two layers got the same weights"
