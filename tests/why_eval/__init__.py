"""The evaluation set of ``fixbook why``: real error reports and the case that explains each."""
