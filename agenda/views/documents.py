"""Pages of papers: a session's list, a paper and its history, filing, versions, private notes,
and the only way a stored file leaves the server: the permission-checked download."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from agenda.forms.documents import AnnotationForm, DocumentForm, DocumentVersionForm, NoteForm
from agenda.models import Document, DocumentVersion
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import (
    SECRETARIAT_OWNER,
    document_get,
    document_version_get,
    filing_party_list,
    note_list,
    note_session_list,
)
from agenda.selectors.documents import (
    document_version_diff as document_version_diff_get,
)
from agenda.selectors.listing import document_filter
from agenda.selectors.sessions import session_get
from agenda.services import annotations as annotation_services
from agenda.services import documents as services
from agenda.uploads import CONTENT_TYPES, EXTENSIONS, safe_filename
from audit.models import AuditEntry
from audit.services import audit_read
from consult import access, parallel
from consult.access import Distribution
from consult.actors import Actor
from consult.listing import filtered_page, page_of
from consult.pages import render_form_or_save, secretariat_step
from consult.parallel_views import TranslatedText, translation_pages
from consult.sanitize import sanitize_html
from members.selectors.parties import party_choice_list, party_choices


def _document_url(document: Document) -> str:
    return reverse("agenda:document_detail", kwargs={"public_id": document.public_id})


def _removed_markup_notice(request: HttpRequest, body_html: str | None) -> None:
    if body_html and sanitize_html(body_html).removed_markup:
        messages.warning(
            request,
            _(
                "Unsafe markup (scripts, frames, styles, images, event handlers or links to "
                "unsafe addresses) was removed from the text."
            ),
        )


def _content(values: dict[str, Any]) -> dict[str, Any]:
    """The paper's text or file as the form gave it: an uploaded file wins over the text."""
    upload = values["file"]
    return {
        "body_html": None if upload else values["body_html"],
        "file": upload,
        "filename": upload.name if upload else "",
    }


@require_GET
def session_document_list(request: HttpRequest, public_id: str) -> HttpResponse:
    """The papers of a session the visitor may read (public ones also without an account),
    a page at a time, filtered as in the API."""
    session = session_get(user=request.user, public_id=public_id)
    listing = filtered_page(
        request,
        document_filter(user=request.user, session=session, params=request.GET),
        shown=("party", "category", "language"),
        choices={"party": [(SECRETARIAT_OWNER, _("Secretariat")), *party_choices()]},
    )
    return render(
        request,
        "agenda/document_list.html",
        {
            "session": session,
            "listing": listing,
            "documents": listing.rows,
            "may_file": request.user.is_authenticated,
        },
        status=listing.status,
    )


def _reader_language(request: HttpRequest) -> str:
    """The language a paper's title is read in: ``?lang=`` when it names a working language
    (each version of the title has its own address), else the reader's own."""
    asked = request.GET.get("lang", "")
    if asked in parallel.language_codes():
        return asked
    return translation.get_language() or parallel.language_codes()[0]


@require_GET
def document_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    document = document_get(user=request.user, public_id=public_id, with_context=True)
    current = document_version_get(user=request.user, public_id=document.public_id)
    may_revise = services.document_revisable_by(user=request.user, document=document)
    version = parallel.version_for(document, DOCUMENT_PARALLEL, _reader_language(request))
    return render(
        request,
        "agenda/document_detail.html",
        {
            "document": document,
            "title_version": version,
            "language_links": [
                (available, f"{_document_url(document)}?lang={available.language}")
                for available in version.available
                if available.current
            ],
            "current": current,
            "versions": document.versions.all(),
            "may_revise": may_revise,
            "may_translate": may_revise,
            "may_release": document.public_requested and access.is_secretariat(request.user),
        },
    )


def _translatable_document(*, user: Actor, public_id: str) -> Document:
    """A paper the visitor reads (404 otherwise) and may translate (403 otherwise)."""
    document = document_get(user=user, public_id=public_id)
    if not services.document_revisable_by(user=user, document=document):
        raise PermissionDenied(
            _("Only the secretariat and the paper's own delegation may translate its title.")
        )
    return document


# The translations of a paper's title: for whoever may revise the paper (the secretariat
# alone confirms them); its text is not translated.
document_translations, document_translation_confirm = translation_pages(
    TranslatedText(
        "agenda:document",
        _translatable_document,
        DOCUMENT_PARALLEL,
        "",
        gettext_lazy("Text"),
        back=_document_url,
        note=gettext_lazy(
            "The title in the paper's own language is authoritative; a translation "
            "is unofficial until confirmed, and outdated once the title changes. The "
            "paper's text is not translated: it stays in its own language."
        ),
        title_max_length=200,
        secretariat_only=False,
    ),
    write=services.document_title_translation_set,
    confirm=services.document_title_translation_confirm,
)


def _document_detail_url(document: Document) -> str:
    return reverse("agenda:document_detail", kwargs={"public_id": document.public_id})


document_release = secretariat_step(
    services.document_release,
    gettext_lazy("Released: the paper is now public."),
    load=lambda request, public_id: document_get(user=request.user, public_id=public_id),
    subject="document",
    back=_document_detail_url,
)


@require_GET
def document_version_diff(request: HttpRequest, public_id: str) -> HttpResponse:
    document = document_get(user=request.user, public_id=public_id)
    numbers = sorted(version.number for version in document.versions.all())
    try:
        older = int(request.GET.get("older") or (numbers[-2] if len(numbers) > 1 else 1))
        newer = int(request.GET.get("newer") or numbers[-1])
    except (ValueError, IndexError) as exc:
        raise Http404(_("Not found.")) from exc
    diff = document_version_diff_get(user=request.user, document=document, older=older, newer=newer)
    return render(
        request,
        "agenda/documentversion_diff.html",
        {"document": document, "numbers": numbers, "diff": diff},
    )


def _download(version: DocumentVersion) -> FileResponse:
    document = version.document
    audit_read(
        kind=AuditEntry.Kind.PAPER_DOWNLOAD,
        obj=document,
        summary=f"Downloaded {document.symbol}, version {version.number}.",
    )
    stem = f"{document.symbol.replace('/', '-')}_v{version.number}"
    name = safe_filename(f"{stem}.{EXTENSIONS[version.format]}", version.format)
    if version.format == DocumentVersion.Format.RICH_TEXT:
        body = render_to_string(
            "agenda/document_download.html", {"document": document, "version": version}
        ).encode()
        stream: Any = io.BytesIO(body)
    else:
        stream = version.file.open("rb")
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type=CONTENT_TYPES[version.format]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    # Opened in a browser tab anyway, a paper runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def document_download(request: HttpRequest, public_id: str) -> FileResponse:
    """The current version of a paper the visitor may read; 404 otherwise, as for a missing one."""
    return _download(document_version_get(user=request.user, public_id=public_id))


@require_GET
def document_version_download(request: HttpRequest, public_id: str, number: int) -> FileResponse:
    return _download(document_version_get(user=request.user, public_id=public_id, number=number))


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """File a paper for a session: the secretariat any paper, a delegation its own."""
    session = session_get(user=request.user, public_id=public_id)
    secretariat = access.is_secretariat(request.user)
    owners = party_choice_list() if secretariat else filing_party_list(user=request.user)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        items=agenda_item_list(user=request.user, session=session).order_by("order"),
        owners=owners,
        secretariat=secretariat,
        initial={"distribution": Distribution.PARTICIPANTS},
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        content = _content(values)
        document = services.document_create(
            user=request.user,
            session=session,
            item=values["item"],
            title=values["title"],
            category=values["category"],
            distribution=values["distribution"],
            language=values["language"],
            owner=values["owner"],
            symbol=values.get("symbol", ""),
            **content,
        )
        messages.success(request, _("%(symbol)s is filed.") % {"symbol": document.symbol})
        _removed_markup_notice(request, content["body_html"])
        return redirect(_document_url(document))

    def page(status: int) -> HttpResponse:
        context = {"session": session, "form": form}
        return render(request, "agenda/document_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def document_version_create(request: HttpRequest, public_id: str) -> HttpResponse:
    document = document_get(user=request.user, public_id=public_id)
    form = DocumentVersionForm(
        request.POST or None, request.FILES or None, initial={"title": document.title}
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        content = _content(values)
        version = services.document_version_add(
            document=document, user=request.user, title=values["title"], **content
        )
        messages.success(
            request,
            _("Version %(number)s of %(symbol)s added.")
            % {"number": version.number, "symbol": document.symbol},
        )
        _removed_markup_notice(request, content["body_html"])
        return redirect(_document_url(document))

    def page(status: int) -> HttpResponse:
        context = {"document": document, "form": form}
        return render(request, "agenda/document_version_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_GET
def note_list_view(request: HttpRequest) -> HttpResponse:
    """My delegation's private notes: nobody else reads them, the secretariat included."""
    listing = page_of(request, note_list(user=request.user).order_by("-updated_at", "pk"))
    return render(
        request,
        "agenda/note_list.html",
        {"listing": listing, "notes": listing.rows},
        status=listing.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST or None, sessions=note_session_list(user=request.user))

    def save(values: dict[str, Any]) -> HttpResponse:
        parties = list(filing_party_list(user=request.user))
        document = services.document_create(
            user=request.user,
            session=values["session"],
            title=values["title"],
            language=values["language"],
            category=Document.Category.NOTE,
            distribution=Distribution.DELEGATION,
            owner=parties[0] if len(parties) == 1 else None,
            body_html=values["body_html"],
        )
        messages.success(request, _("Your note is saved; only your delegation reads it."))
        _removed_markup_notice(request, values["body_html"])
        return redirect("agenda:note_edit", public_id=document.public_id)

    def page(status: int) -> HttpResponse:
        context = {"form": form, "note": None}
        return render(request, "agenda/note_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def note_annotate(request: HttpRequest, public_id: str) -> HttpResponse:
    """A note on a passage of a paper. The briefing pack posts here; this page shows the
    form again with the reason when the note is refused, and is the way without JavaScript."""
    paper = document_get(user=request.user, public_id=public_id, with_context=True)
    if not getattr(paper, "session_readable", False):  # a public paper of a session not attended
        raise Http404(_("Not found."))
    form = AnnotationForm(request.POST or None, initial={"passage": request.GET.get("passage")})

    def save(values: dict[str, Any]) -> HttpResponse:
        parties = list(filing_party_list(user=request.user))
        note = annotation_services.note_annotate(
            user=request.user,
            paper=paper,
            passage=values["passage"],
            body_html=values["body_html"],
            owner=parties[0] if len(parties) == 1 else None,
        )
        messages.success(
            request,
            _("Your note %(symbol)s is saved; only your delegation reads it.")
            % {"symbol": note.symbol},
        )
        pack = reverse("briefings:pack_detail", kwargs={"public_id": paper.session.public_id})
        return redirect(f"{pack}#paper-{paper.public_id}")

    def page(status: int) -> HttpResponse:
        context = {"form": form, "paper": paper}
        return render(request, "agenda/note_annotate.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    note = document_get(user=request.user, public_id=public_id)
    if note.distribution != Distribution.DELEGATION:
        raise Http404(_("Not found."))
    current = document_version_get(user=request.user, public_id=note.public_id)
    form = NoteForm(
        request.POST or None,
        initial={"title": note.title, "language": note.language, "body_html": current.body_html},
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.document_version_add(
            document=note, user=request.user, title=values["title"], body_html=values["body_html"]
        )
        messages.success(request, _("Your note is saved as a new version."))
        _removed_markup_notice(request, values["body_html"])
        return redirect("agenda:note_edit", public_id=note.public_id)

    def page(status: int) -> HttpResponse:
        context = {"form": form, "note": note, "current": current}
        return render(request, "agenda/note_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)
