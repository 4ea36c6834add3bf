"""Test support for rulekit and its plugins (extra ``rulekit[testing]``).

- :mod:`rulekit.testing.conformance`: conformance cases (dossier in, decision out) stored
  as JSON under a plugin's ``specs/``, and the check that replays them.
"""
