"""Reads of the record, with the access rule and the Chatham House rule applied in SQL.

One module per part of the record; importers name the module."""
