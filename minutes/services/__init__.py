"""Writes of the record: minutes (``record``, ``review``), ``action_points``, ``communiques``.

One module per part of the record; importers name the module."""
