"""Log-likelihood of waiting times that contain a negative recording error.

Exponential has support [0, inf); the -0.1 entry is outside it. NumPyro
warns and returns -inf for that entry, so the total is -inf.
"""
import jax.numpy as jnp
import numpyro.distributions as dist

waits = jnp.array([0.5, 1.2, -0.1, 0.7])  # -0.1: a clock error in the data
loglik = dist.Exponential(rate=2.0).log_prob(waits).sum()
print("log-likelihood:", float(loglik))
