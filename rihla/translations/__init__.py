"""Translations of record texts: which are missing or outdated, and their exchange with translators.

- :mod:`rihla.translations.slots`: every text of the records, where it is written
  and which language it was written in first;
- :mod:`rihla.translations.history`: which translations are older than their source
  (from git, as Lunaria does);
- :mod:`rihla.translations.exchange`: a PO file of what a language lacks, and its
  translations written back into the YAML records.
"""
