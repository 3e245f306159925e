"""The knowledge: the case model, its claims, and verdicts on observed outcomes."""
