"""Viewsets of the agenda API, one module per resource, registered in ``consult.api``."""
