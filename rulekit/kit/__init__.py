"""The certifier's kit: what helps a certifier add a title without touching the core.

- :mod:`rulekit.kit.scaffold`: ``rulekit plugin new``, a plugin distribution that installs
  and passes its tests as generated;
- :mod:`rulekit.kit.lint`: ``rulekit plugin check``, findings on installed declarations;
- :mod:`rulekit.kit.witness`: for each track, the smallest dossier the engine finds
  eligible, or the requirement no dossier can meet.
"""
