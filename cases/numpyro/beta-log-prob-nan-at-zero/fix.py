"""Log-likelihood of proportion data that contain an exact 0 under Beta(1, 8).

jax.scipy.stats.beta.logpdf uses xlogy/xlog1py, which define 0 * log(0) as 0,
so the boundary value gets its finite log-density on every release.
"""
import jax.numpy as jnp
from jax.scipy.stats import beta

# Share of each day's budget that was spent; the first day nothing was spent.
spent = jnp.array([0.0, 0.05, 0.12, 0.3, 0.02])

loglik = beta.logpdf(spent, 1.0, 8.0).sum()
print("log-likelihood:", loglik)

# Beta(1, 8) has density 8 * (1 - x)**7 on [0, 1].
expected = jnp.sum(jnp.log(8.0) + 7.0 * jnp.log1p(-spent))
assert jnp.isfinite(loglik), f"log-likelihood is {loglik}, expected {expected}"
assert jnp.allclose(loglik, expected, rtol=1e-5), (loglik, expected)
