"""Fix: the drop-in replacement from JAX's pmap migration guide (device_put + NamedSharding)."""
import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P


def device_put_replicated(x, devices):
    mesh = Mesh(np.array(devices), ("x",))
    sharding = NamedSharding(mesh, P("x"))
    return jax.tree_util.tree_map(lambda y: jax.device_put(jnp.stack([y] * len(devices)), sharding), x)


devices = jax.local_devices()
params = {"w": jnp.ones(3), "b": jnp.array(0.5)}
replicated = device_put_replicated(params, devices)  # one copy per device


@jax.pmap
def predict(p, x):
    return x @ p["w"] + p["b"]


batch = jnp.ones((len(devices), 3))
out = predict(replicated, batch)
print(out)
assert replicated["w"].shape == (len(devices), 3)
assert out.shape == (len(devices),)
assert jnp.allclose(out, 3.5)
