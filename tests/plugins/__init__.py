"""Fake plugins for the tests; every fact in them is fictitious."""
