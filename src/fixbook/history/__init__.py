"""Version history: which releases a bug lives in (bisect, environments, ranges)."""
