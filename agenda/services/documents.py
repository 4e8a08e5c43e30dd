"""Papers of a session or item, and their versions.

A paper is either rich text (sanitised by ``consult.sanitize`` before it is
stored) or an uploaded PDF, DOCX or ODT file (checked by content in
``agenda.uploads``). Everything is checked before anything is written, and a
stored file whose row could not be saved is deleted again, so a refusal
leaves no document, no version and no file behind.

Who files what: the secretariat files any paper except a delegation-only
one (it could not read it); a delegation files and revises its own papers,
private notes included, for sessions or items it takes part in.

A paper's title is a parallel text (consult/parallel.py): its authoritative
version is in the paper's own language, translations are unofficial until
confirmed, and a new title outdates them. Whoever may revise a paper may
translate its title and confirm a translation; the text is never translated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from agenda.models import (
    Agenda,
    AgendaItem,
    Document,
    DocumentSymbolSeries,
    DocumentVersion,
    Session,
)
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.uploads import CheckedUpload, safe_filename, upload_check
from audit.models import AuditEntry
from audit.services import audit_record
from consult import parallel_services
from consult.access import (
    Distribution,
    active_party_ids,
    can_read,
    is_secretariat,
    require_secretariat,
)
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import translations_outdate
from consult.sanitize import sanitize_html
from consult.validation import check_choice, check_visible, clean_text
from members.models import Party

MAX_RICH_TEXT_CHARS = 500_000
SECRETARIAT_SERIES = "GAL"
DELEGATION_SERIES = "DEL"
# Private notes are numbered per delegation: a shared series would let every
# delegation count the others' notes from the gaps in its own numbers.
NOTE_SERIES_PREFIX = "NOTE."
SYMBOL_PREFIX = "CCB."


@dataclass(frozen=True, slots=True)
class Content:
    """A version's checked content, ready to store."""

    format: str
    body_html: str = ""
    upload: IO[bytes] | None = None
    checked: CheckedUpload | None = None
    removed_markup: bool = False

    @property
    def size(self) -> int:
        return self.checked.size if self.checked else len(self.body_html.encode())

    @property
    def sha256(self) -> str:
        if self.checked:
            return self.checked.sha256
        return hashlib.sha256(self.body_html.encode()).hexdigest()


def document_content(
    *, body_html: str | None = None, file: IO[bytes] | None = None, filename: str = ""
) -> Content:
    """Check a version's content: exactly one of rich text or a file."""
    if (body_html is None or body_html == "") == (file is None):
        raise ApplicationError(
            gettext("Give the paper either as rich text or as an uploaded file (one of them)."),
            fields={"body_html": [gettext("Text or file, not both and not neither.")]},
        )
    if file is not None:
        name = filename or str(getattr(file, "name", "") or "document")
        checked = upload_check(file, filename=name)
        return Content(format=checked.format, upload=file, checked=checked)
    assert body_html is not None
    if len(body_html) > MAX_RICH_TEXT_CHARS:
        raise ApplicationError(
            gettext("The text is longer than %(max)s characters; upload it as a file.")
            % {"max": f"{MAX_RICH_TEXT_CHARS:,}"},
            fields={"body_html": [gettext("Too long.")]},
        )
    sanitised = sanitize_html(body_html)
    if sanitised.is_blank:
        raise ApplicationError(
            gettext(
                "The text is empty once unsafe content (scripts, frames, event handlers) "
                "is removed."
            ),
            fields={"body_html": [gettext("No readable text.")]},
        )
    return Content(
        format=DocumentVersion.Format.RICH_TEXT,
        body_html=sanitised.html,
        removed_markup=sanitised.removed_markup,
    )


def _user_parties(user: Actor) -> list[Party]:
    return list(Party.objects.filter(pk__in=active_party_ids(user)).order_by("code"))


def _filing_owner(*, user: Actor, owner: Party | None, distribution: str) -> Party | None:
    """The party that owns a new paper (None: the secretariat), or a refusal."""
    parties = _user_parties(user)
    if owner is not None and owner in parties:
        return owner
    if is_secretariat(user):
        if distribution == Distribution.DELEGATION:
            raise ApplicationError(
                gettext(
                    "A delegation-only paper is readable by its delegation alone, not by the "
                    "secretariat; choose another distribution."
                ),
                fields={"distribution": [gettext("Not available to the secretariat.")]},
            )
        return owner
    if owner is not None:
        raise PermissionDenied(gettext("You may file papers only for your own delegation."))
    if not parties:
        raise PermissionDenied(gettext("Only the secretariat and delegations may file papers."))
    if len(parties) > 1:
        raise ApplicationError(
            gettext("You belong to several delegations; say which one files this paper."),
            fields={"owner": [gettext("Choose the delegation.")]},
        )
    return parties[0]


def _check_takes_part(*, user: Actor, session: Session, item: AgendaItem | None) -> None:
    """A delegation files papers only where it takes part (for an ad hoc party: its item)."""
    if is_secretariat(user):
        return
    if item is not None:
        allowed = can_read(item, user, distribution=None, session="session", item="pk")
    else:
        allowed = can_read(session, user, distribution=None, session="pk")
    if not allowed:
        if item is not None:
            raise PermissionDenied(
                gettext("Your delegation does not take part in item %(order)s of %(number)s.")
                % {"order": item.order, "number": session.number}
            )
        raise PermissionDenied(
            gettext("Your delegation does not take part in session %(number)s.")
            % {"number": session.number}
        )


def document_revisable_by(*, user: Actor, document: Document) -> bool:
    """A delegation revises its own papers; the secretariat any paper but a delegation-only one."""
    if not user.is_authenticated:
        return False
    if document.owner_id is not None and document.owner_id in {p.pk for p in _user_parties(user)}:
        return True
    return is_secretariat(user) and document.distribution != Distribution.DELEGATION


def _may_revise(*, user: Actor, document: Document) -> None:
    if not document_revisable_by(user=user, document=document):
        raise PermissionDenied(gettext("You may revise only your own delegation's papers."))


def _series(*, owner: Party | None, distribution: str) -> str:
    if owner is None:
        return SECRETARIAT_SERIES
    if distribution == Distribution.DELEGATION:
        return f"{NOTE_SERIES_PREFIX}{owner.code}"
    return DELEGATION_SERIES


def _next_symbol(series: str) -> str:
    year = timezone.now().year
    counter, _ = DocumentSymbolSeries.objects.select_for_update().get_or_create(
        series=series, year=year
    )
    while True:
        counter.last_number += 1
        symbol = f"{SYMBOL_PREFIX}{series}/{counter.last_number}/{year % 100:02d}"
        if not Document.objects.filter(symbol=symbol).exists():
            counter.save(update_fields=["last_number"])
            return symbol


def _chosen_symbol(*, symbol: str, user: Actor) -> str:
    symbol = check_visible(symbol.strip().upper(), field="symbol", label=gettext("The symbol"))
    if not is_secretariat(user):
        raise ApplicationError(
            gettext(
                "Symbols of delegation papers are issued automatically; leave the symbol empty."
            ),
            fields={"symbol": [gettext("Issued automatically.")]},
        )
    if symbol.startswith(f"{SYMBOL_PREFIX}{NOTE_SERIES_PREFIX}"):
        raise ApplicationError(
            gettext("That series is reserved for delegations' private notes."),
            fields={"symbol": [gettext("Reserved series.")]},
        )
    if len(symbol) > 40 or not symbol.replace(".", "").replace("/", "").replace("-", "").isalnum():
        raise ApplicationError(
            gettext(
                "“%(symbol)s” is not a symbol; write it like CCB.GAL/3/27 (letters, digits, . / -)."
            )
            % {"symbol": symbol},
            fields={"symbol": [gettext("Letters, digits, dots, slashes and hyphens, at most 40.")]},
        )
    if Document.objects.filter(symbol=symbol).exists():
        raise ApplicationError(
            gettext("The symbol %(symbol)s is already used.") % {"symbol": symbol},
            fields={"symbol": [gettext("Already used.")]},
        )
    return symbol


def _agenda_changed(session_id: int) -> None:
    Agenda.objects.filter(session_id=session_id).update(revision=F("revision") + 1)


def _store_version(
    *, document: Document, number: int, content: Content, user: Actor
) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        number=number,
        format=content.format,
        body_html=content.body_html,
        size_bytes=content.size,
        sha256=content.sha256,
        original_filename=(
            content.checked.original_filename
            if content.checked
            else safe_filename(f"{document.title}.html", DocumentVersion.Format.RICH_TEXT)
        ),
        created_by=signed_in(user),
    )
    if content.upload is None or content.checked is None:
        version.save()
        return version
    content.upload.seek(0)
    version.file.save(content.checked.original_filename, File(content.upload), save=False)
    try:
        version.save()
    except BaseException:
        version.file.delete(save=False)
        raise
    return version


@transaction.atomic
def document_create(
    *,
    user: Actor,
    session: Session,
    title: str,
    distribution: str,
    language: str = Document.Language.EN,
    category: str = Document.Category.BACKGROUND,
    item: AgendaItem | None = None,
    owner: Party | None = None,
    symbol: str = "",
    body_html: str | None = None,
    file: IO[bytes] | None = None,
    filename: str = "",
) -> Document:
    """File a new paper with its first version; the symbol is issued when not given."""
    title = clean_text(
        title, field="title", label=gettext("The title"), max_length=200, visible=True
    )
    check_choice(distribution, Distribution, field="distribution", label=gettext("Distribution"))
    check_choice(language, Document.Language, field="language", label=gettext("Language"))
    check_choice(category, Document.Category, field="category", label=gettext("Category"))
    if item is not None and item.session_id != session.pk:
        raise ApplicationError(
            gettext("That item belongs to another session."),
            fields={"item": [gettext("Not an item of this session.")]},
        )
    owner = _filing_owner(user=user, owner=owner, distribution=distribution)
    _check_takes_part(user=user, session=session, item=item)
    public_requested = distribution == Distribution.PUBLIC and not is_secretariat(user)
    if public_requested:
        distribution = Distribution.PARTICIPANTS
    chosen = _chosen_symbol(symbol=symbol, user=user) if symbol.strip() else ""
    content = document_content(body_html=body_html, file=file, filename=filename)

    document = Document.objects.create(
        symbol=chosen or _next_symbol(_series(owner=owner, distribution=distribution)),
        title=title,
        category=category,
        session=session,
        item=item,
        owner=owner,
        language=language,
        distribution=distribution,
        public_requested=public_requested,
        current_version=1,
        created_by=signed_in(user),
    )
    _store_version(document=document, number=1, content=content, user=user)
    if distribution != Distribution.DELEGATION:
        _agenda_changed(session.pk)
    audit_record(
        kind=AuditEntry.Kind.FILING,
        user=user,
        obj=document,
        summary=f"Filed {document.symbol} ({document.distribution}) for {session.number}.",
    )
    return document


@transaction.atomic
def document_release(*, document: Document, user: Actor) -> Document:
    """The secretariat makes public a delegation's paper that asked to be public."""
    if not is_secretariat(user):
        raise PermissionDenied(gettext("Only the secretariat releases papers to the public."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.public_requested:
        raise ApplicationError(
            gettext("%(symbol)s was not filed for public release; nothing to release.")
            % {"symbol": document.symbol},
            fields={"distribution": [gettext("No public release was requested.")]},
        )
    document.distribution = Distribution.PUBLIC
    document.public_requested = False
    document.save(update_fields=["distribution", "public_requested", "updated_at"])
    _agenda_changed(document.session_id)
    return document


@transaction.atomic
def document_version_add(
    *,
    document: Document,
    user: Actor,
    body_html: str | None = None,
    file: IO[bytes] | None = None,
    filename: str = "",
    title: str | None = None,
) -> DocumentVersion:
    """A new version replaces the current one; earlier versions stay in the history."""
    _may_revise(user=user, document=document)
    content = document_content(body_html=body_html, file=file, filename=filename)
    document = Document.objects.select_for_update().get(pk=document.pk)
    fields = ["title", "current_version", "updated_at"]
    if title is not None:
        title = clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        )
        if title != document.title:
            document.title = title
            # The authoritative title changed: its translations are outdated until rewritten.
            fields += translations_outdate(document, DOCUMENT_PARALLEL)
    document.current_version += 1
    document.save(update_fields=fields)
    version = _store_version(
        document=document, number=document.current_version, content=content, user=user
    )
    if document.distribution != Distribution.DELEGATION:
        _agenda_changed(document.session_id)
    audit_record(
        kind=AuditEntry.Kind.FILING,
        user=user,
        obj=document,
        summary=f"Filed version {version.number} of {document.symbol}.",
    )
    return version


def _may_translate(user: Actor, document: Document) -> None:
    """Whoever may revise the paper may translate its title."""
    if not document_revisable_by(user=user, document=document):
        raise PermissionDenied(
            gettext("Only the secretariat and the paper's own delegation may translate its title.")
        )


def _may_confirm(user: Actor, document: Document) -> None:
    """The secretariat alone confirms a translation (a delegation writes one only)."""
    require_secretariat(user, gettext("confirm translations"))
    _may_translate(user, document)


def _title_of(document: Document) -> str:
    return f"the title of {document.symbol}"


@transaction.atomic
def document_title_translation_set(
    *, document: Document, user: Actor, language: str, title: str
) -> Document:
    """Add or rewrite the translation of a paper's title into ``language``: an unofficial
    translation until confirmed. The authoritative title and the text are untouched."""

    def values(locked: Document) -> dict[str, str]:
        # Cleaned once the paper may be translated into a known language.
        title_cleaned = clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        )
        return {"title": title_cleaned}

    return parallel_services.translation_record(
        document,
        DOCUMENT_PARALLEL,
        user=user,
        language=language,
        values=values,
        may=_may_translate,
        named=_title_of,
        audit_kind=AuditEntry.Kind.FILING,
    )


@transaction.atomic
def document_title_translation_confirm(
    *, document: Document, user: Actor, language: str
) -> Document:
    """The secretariat confirms a current translation of a paper's title (its delegation
    writes one, but does not confirm it); a missing or outdated one is refused, a confirmed
    one left as it is."""
    return parallel_services.translation_confirm_record(
        document,
        DOCUMENT_PARALLEL,
        user=user,
        language=language,
        may=_may_confirm,
        named=_title_of,
        audit_kind=AuditEntry.Kind.FILING,
    )
