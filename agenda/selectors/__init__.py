"""Reads of the agenda app, with the confidentiality rule applied in SQL."""
