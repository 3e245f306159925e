"""The results store: one JSON document per environment, and the terminal reports read from it."""
