"""Initialising two layers from the same key; the key-reuse checker rejects it.

With jax_debug_key_reuse on (as the JAX docs suggest while debugging), the
second jax.random call with an already-consumed key raises KeyReuseError.
Without the flag, both layers would silently get identical weights.
"""
import jax

jax.config.update("jax_debug_key_reuse", True)

key = jax.random.key(0)
w1 = jax.random.normal(key, (3, 3))
w2 = jax.random.normal(key, (3, 3))  # same key again
print(w1 - w2)
