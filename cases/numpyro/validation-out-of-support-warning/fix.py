"""Fix: check the data against the distribution's support and handle bad rows first."""
import jax.numpy as jnp
import numpyro.distributions as dist

waits = jnp.array([0.5, 1.2, -0.1, 0.7])
d = dist.Exponential(rate=2.0)
valid = d.support(waits)
print("dropping", int((~valid).sum()), "invalid value(s)")
clean = waits[valid]
loglik = d.log_prob(clean).sum()
print("log-likelihood:", float(loglik))

expected = clean.shape[0] * jnp.log(2.0) - 2.0 * clean.sum()
assert jnp.allclose(clean, jnp.array([0.5, 1.2, 0.7])), clean
assert jnp.isfinite(loglik) and jnp.allclose(loglik, expected), (loglik, expected)
