"""Reads of papers and their versions, filtered by the access rule in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from agenda.models import AgendaItem, Document, DocumentVersion, Session
from consult import access
from consult.actors import Actor
from consult.diff import TextDiff, html_paragraphs, word_diff
from members.models import Party
from members.selectors.parties import party_own_list

DOCUMENT_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "session",
    "item": "item",
    "owner": "owner",
}
VERSION_FIELDS: dict[str, Any] = {
    "distribution": "document__distribution",
    "session": "document__session",
    "item": "document__item",
    "owner": "document__owner",
}
SECRETARIAT_OWNER = "secretariat"


def _versions() -> Prefetch[str, QuerySet[Any], str]:
    # The history lists versions without their text; the text is read one version at a time.
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.defer("body_html").order_by("-number"),
    )


def document_list(
    *,
    user: Actor,
    session: Session | None = None,
    item: AgendaItem | None = None,
    session_public_id: UUID | str | None = None,
    item_public_id: UUID | str | None = None,
    quarter: str | None = None,
    owner: str | None = None,
    distribution: str | None = None,
    language: str | None = None,
    category: str | None = None,
) -> QuerySet[Document]:
    """The papers ``user`` may read; ``owner`` is a party code or ``"secretariat"``."""
    documents = Document.objects.select_related("session", "item", "owner")
    if session is not None:
        documents = documents.filter(session=session)
    if item is not None:
        documents = documents.filter(item=item)
    if session_public_id is not None:
        documents = documents.filter(session__public_id=session_public_id)
    if item_public_id is not None:
        documents = documents.filter(item__public_id=item_public_id)
    if quarter:
        documents = documents.filter(session__quarter=quarter)
    if owner:
        if owner.lower() == SECRETARIAT_OWNER:
            documents = documents.filter(owner__isnull=True)
        else:
            documents = documents.filter(owner__code=owner.upper())
    if distribution:
        documents = documents.filter(distribution=distribution)
    if language:
        documents = documents.filter(language=language)
    if category:
        documents = documents.filter(category=category)
    return access.visible(documents, user, **DOCUMENT_FIELDS).prefetch_related(_versions())


def document_readable_context(documents: QuerySet[Document], *, user: Actor) -> QuerySet[Document]:
    """``documents`` with ``session_readable`` and ``item_readable``: a public paper of a
    confidential session, or a participants paper on a seat-holders' item, is read without
    its session's or item's page and title."""
    from agenda.selectors.agendas import ITEM_FIELDS
    from agenda.selectors.sessions import SESSION_FIELDS

    sessions = access.visible(
        Session.objects.filter(pk=OuterRef("session_id")), user, **SESSION_FIELDS
    )
    items = access.visible(AgendaItem.objects.filter(pk=OuterRef("item_id")), user, **ITEM_FIELDS)
    return documents.annotate(session_readable=Exists(sessions), item_readable=Exists(items))


def note_list(*, user: Actor, session: Session | None = None) -> QuerySet[Document]:
    """The private notes of the user's own delegations (the rule lets nobody else read them)."""
    return document_list(user=user, session=session, distribution=access.Distribution.DELEGATION)


def annotation_list(*, user: Actor, session: Session) -> QuerySet[Document]:
    """The user's delegations' notes on passages of the session's papers, oldest first,
    each with ``current_html``, its text now, and ``annotates`` (the paper)."""
    current = DocumentVersion.objects.filter(
        document=OuterRef("pk"), number=OuterRef("current_version")
    ).values("body_html")[:1]
    return (
        note_list(user=user, session=session)
        .filter(annotates__isnull=False)
        .select_related("annotates")
        .annotate(current_html=Subquery(current))
        .order_by("created_at", "pk")
    )


def filing_party_list(*, user: Actor) -> QuerySet[Party]:
    """The parties in whose name the user files papers: those of the user's current delegations."""
    return party_own_list(user=user).order_by("code")


def note_session_list(*, user: Actor) -> QuerySet[Session]:
    """Sessions the user may read and the user's delegation takes part in (an ad hoc view
    of a session is not enough; an invitation to a session kept to the secretariat is
    not either)."""
    from agenda.selectors.sessions import session_list

    return access.visible(session_list(user=user), user, distribution=None, session="pk").order_by(
        "-starts_at"
    )


def document_get(*, user: Actor, public_id: UUID | str, with_context: bool = False) -> Document:
    """One readable paper with its history, or 404 exactly as for a missing one.

    ``with_context``: also whether its session and item are readable
    (``document_readable_context``).
    """
    documents = Document.objects.select_related("session", "item", "owner").prefetch_related(
        _versions()
    )
    if with_context:
        documents = document_readable_context(documents, user=user)
    return access.get_visible_or_404(
        documents,
        user,
        fields=DOCUMENT_FIELDS,
        public_id=public_id,
    )


def document_version_get(
    *, user: Actor, public_id: UUID | str, number: int | None = None
) -> DocumentVersion:
    """A readable paper's version (its current one when ``number`` is None), or 404."""
    versions = DocumentVersion.objects.select_related(
        "document__session", "document__owner"
    ).filter(document__public_id=public_id)
    if number is None:
        versions = versions.filter(number=F("document__current_version"))
    else:
        versions = versions.filter(number=number)
    return access.get_visible_or_404(versions, user, fields=VERSION_FIELDS)


@dataclass(frozen=True, slots=True)
class DocumentVersionDiff:
    older: DocumentVersion
    newer: DocumentVersion
    text: TextDiff | None
    """None when either version is an uploaded file: only rich text is compared word by word."""


def document_version_diff(
    *, user: Actor, document: Document, older: int, newer: int
) -> DocumentVersionDiff:
    """Two versions of a paper the caller reads (through ``document_get``), compared."""
    versions = {
        version.number: version
        for version in access.visible(
            DocumentVersion.objects.filter(document=document, number__in=[older, newer]),
            user,
            **VERSION_FIELDS,
        )
    }
    if older not in versions or newer not in versions:
        raise Http404("Not found.")
    before, after = versions[older], versions[newer]
    rich = DocumentVersion.Format.RICH_TEXT
    text = None
    if before.format == rich and after.format == rich:
        text = word_diff(html_paragraphs(before.body_html), html_paragraphs(after.body_html))
    return DocumentVersionDiff(older=before, newer=after, text=text)
