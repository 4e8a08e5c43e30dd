"""The record's API resources, registered in ``consult/api.py``."""

from minutes.api.communiques import CommuniqueViewSet, PositionViewSet
from minutes.api.record import ActionPointViewSet, MinutesViewSet, StatementViewSet

__all__ = [
    "ActionPointViewSet",
    "CommuniqueViewSet",
    "MinutesViewSet",
    "PositionViewSet",
    "StatementViewSet",
]
