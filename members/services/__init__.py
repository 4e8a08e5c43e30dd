"""Writes of the members app: keyword-only, atomic, refusing bad input with ApplicationError.

One module per entity (``delegations``, ``parties``, ``seats``, ``terms``, ``users``);
importers name the module.
"""
