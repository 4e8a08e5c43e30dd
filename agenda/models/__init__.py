"""Models of the agenda app, one module per part of the cycle.

Django loads an app's models from ``agenda.models``, and migrations refer to
``agenda.models.document_upload_to``: this package lists them once here, the
one re-export of the app.
"""

from agenda.models.agendas import Agenda, AgendaItem, AgendaItemGrant, Objection
from agenda.models.documents import (
    Document,
    DocumentSymbolSeries,
    DocumentVersion,
    document_upload_to,
)
from agenda.models.invitations import Invitation
from agenda.models.sessions import CalendarFeed, ExtraordinaryRequest, Session, SessionGrant

__all__ = [
    "Agenda",
    "AgendaItem",
    "AgendaItemGrant",
    "CalendarFeed",
    "Document",
    "DocumentSymbolSeries",
    "DocumentVersion",
    "ExtraordinaryRequest",
    "Invitation",
    "Objection",
    "Session",
    "SessionGrant",
    "document_upload_to",
]
