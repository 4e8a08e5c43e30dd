"""Reads of the members app, one module per entity: ``parties``, ``seats``, ``rotation``
(terms, swaps and the chair), ``delegations`` (memberships and accreditations), ``users``
(accounts and roles) and ``dashboard``.

Every list is built with a fixed number of queries (``select_related`` and
``prefetch_related``), whatever the number of rows. Importers name the module.
"""
