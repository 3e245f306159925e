"""Log-likelihood of proportion data that contain an exact 0 under Beta(1, 8).

Beta(1, b) has the finite density b at 0, but before numpyro 0.20.0 the
log-density computed 0 * log(0) = nan there, so the whole sum is nan.
"""
import jax.numpy as jnp
import numpyro.distributions as dist

# Share of each day's budget that was spent; the first day nothing was spent.
spent = jnp.array([0.0, 0.05, 0.12, 0.3, 0.02])

loglik = dist.Beta(1.0, 8.0).log_prob(spent).sum()  # nan on numpyro < 0.20.0
print("log-likelihood:", loglik)

# Beta(1, 8) has density 8 * (1 - x)**7 on [0, 1].
expected = jnp.sum(jnp.log(8.0) + 7.0 * jnp.log1p(-spent))
assert jnp.isfinite(loglik), f"Beta log-likelihood at 0 is {loglik}, expected {expected}"
assert jnp.allclose(loglik, expected, rtol=1e-5), (loglik, expected)
