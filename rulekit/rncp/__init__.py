"""France Compétences' RNCP open-data export (format V4.1), read as a stream.

- :mod:`rulekit.rncp.fiche`: what rulekit takes from one fiche (:class:`Fiche`);
- :mod:`rulekit.rncp.reader`: finding a fiche in an export of several hundred MB in
  constant memory, refusing hostile XML;
- :mod:`rulekit.rncp.skeleton`: a declaration skeleton (Python source) from a fiche, for
  ``rulekit import-rncp``.
"""
