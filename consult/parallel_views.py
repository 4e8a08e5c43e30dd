"""A parallel text's translations page (consult/parallel.py), for the secretariat (or
whoever else the text's app lets translate it): each language's state, a form to add or
update one (an unofficial translation until confirmed) and the confirm buttons, on
templates/parallel_translations.html.

``translation_pages`` makes the two views of one kind of text (the page and its confirm
step) from what differs between the kinds: how the text is read, where its authoritative
text lies and which services write and confirm it. Every app's translations pages are
made here (a crisis dossier's, a communiqué's, an agenda item's, a paper's title ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from consult import access, parallel
from consult.actors import Actor
from consult.pages import render_form_or_save, run_service_and_redirect, secretariat_only
from consult.parallel_forms import TranslationForm

type View = Callable[[HttpRequest, str], HttpResponse]

# What a translation is worth, on a translations page (where ``note`` says nothing else).
NOTE = gettext_lazy(
    "One language is authoritative; a translation is unofficial until the "
    "secretariat confirms it, and outdated once the authoritative text changes."
)


@dataclass(frozen=True, slots=True)
class TranslatedText:
    """One kind of text: ``subject`` names it with its app's namespace
    (``crises:crisis``: the routes ``crises:crisis_translations`` and
    ``crises:crisis_translation_confirm``, the services' keyword ``crisis``),
    ``load(user=, public_id=)`` reads it (404 to whoever may not read it), and
    ``text_field`` names its text beside the title in ``spec`` (a dossier's summary, an
    option's text; none where only the title is translated, a paper's), shown under
    ``text_label``; ``extra_text_field`` a second, plain text where it has one (an
    exercise's objectives beside its scenario), under ``extra_text_label``. A text whose
    ``spec`` has no title (an inject) is translated without one; a plain text
    (``rich_text=False``) in a plain field. ``back`` gives the page the translations page
    leads back to, the text's own page unless named (a threat has none: the threat list).
    ``keyword`` names the text to the services where it is not ``subject``'s name (an
    after-action report's are ``aar_translation_set(report=...)``), and ``route_id`` the
    id its routes take where it is not the text's own ``public_id`` (an after-action report
    lives at its exercise's address). ``note`` says what a translation is worth,
    ``title_max_length`` how long a translated title may be, ``shown_text(subject, user)``
    the authoritative text where it is not the one ``spec`` serves (a communiqué's latest
    version). A text the secretariat alone translates is ``secretariat_only``; where others
    may too (``load`` refuses whoever may not), the secretariat alone confirms. ``name``
    names a text without a title in the reader's words (HTML: "Inject 2 of <the exercise's
    served title>"); the authoritative title names a titled text, marked with its
    language."""

    subject: str
    load: Callable[..., Any]
    spec: parallel.ParallelFields
    text_field: str
    text_label: Promise
    extra_text_field: str = ""
    extra_text_label: Promise | None = None
    rich_text: bool = True
    back: Callable[[Any], str] | None = None
    keyword: str = ""
    route_id: Callable[[Any], Any] | None = None
    note: Promise = NOTE
    title_max_length: int = parallel.TITLE_MAX_LENGTH
    shown_text: Callable[[Any, Actor], Any] | None = None
    secretariat_only: bool = True
    name: Callable[[Any], SafeString] | None = None

    @property
    def titled(self) -> bool:
        return "title" in self.spec.fields

    def named(self, subject: Any) -> dict[str, Any]:
        """``subject`` as the services' keyword argument."""
        return {self.keyword or self.subject.rpartition(":")[2]: subject}

    def url(self, subject: Any, *, confirm: bool = False) -> str:
        step = "translation_confirm" if confirm else "translations"
        public_id = self.route_id(subject) if self.route_id else subject.public_id
        return reverse(f"{self.subject}_{step}", args=[public_id])

    def authoritative_text(self, subject: Any, user: Actor) -> Any:
        """The text shown beside the form ("" where only the title is translated)."""
        if self.shown_text is not None:
            return self.shown_text(subject, user)
        return self.spec.authoritative_value(subject, self.text_field) if self.text_field else ""


def _heading_title(subject: Any, kind: TranslatedText) -> SafeString:
    """What the page's heading names: a titled text by its authoritative title, marked with
    its language; a text without a title as ``kind.name`` names it in the reader's words."""
    if kind.titled:
        return format_html(
            '<span lang="{}">{}</span>',
            kind.spec.authoritative_language(subject),
            kind.spec.authoritative_value(subject, "title"),
        )
    assert kind.name is not None, f"{kind.subject}: a text without a title needs a name"
    return kind.name(subject)


def _context(
    request: HttpRequest, subject: Any, kind: TranslatedText, form: TranslationForm, text: Any
) -> dict[str, Any]:
    """What parallel_translations.html shows of ``subject``."""
    spec = kind.spec
    confirms = kind.secretariat_only or access.is_secretariat(request.user)
    return {
        "back_url": kind.back(subject) if kind.back else subject.get_absolute_url(),
        # Translations are confirmed by the secretariat alone.
        "confirm_url": kind.url(subject, confirm=True) if confirms else "",
        "note": kind.note,
        "form": form,
        "states": parallel.TranslationState,
        "languages": parallel.language_states(subject, spec),
        "authoritative_language": spec.authoritative_language(subject),
        "authoritative_title": spec.authoritative_value(subject, "title") if kind.titled else "",
        "heading_title": _heading_title(subject, kind),
        "titled": kind.titled,
        "rich_text": kind.rich_text,
        "authoritative_text": text,
        "extra_text_label": kind.extra_text_label if kind.extra_text_field else None,
        "authoritative_extra_text": (
            spec.authoritative_value(subject, kind.extra_text_field)
            if kind.extra_text_field
            else ""
        ),
    }


def _page(
    request: HttpRequest, public_id: str, kind: TranslatedText, write: Callable[..., Any]
) -> HttpResponse:
    if kind.secretariat_only:
        secretariat_only(request)
    subject = kind.load(user=request.user, public_id=public_id)
    spec = kind.spec
    language = parallel.language_to_edit(
        request.GET.get("lang"), spec.authoritative_language(subject)
    )
    text = kind.authoritative_text(subject, request.user)
    initial = {"language": language}
    if kind.text_field:
        initial["text"] = spec.translation_value(subject, kind.text_field, language)
    if kind.titled:
        initial["title"] = spec.translation_value(subject, "title", language)
    extra: dict[str, Any] = {}
    if kind.extra_text_field:
        initial["extra_text"] = spec.translation_value(subject, kind.extra_text_field, language)
        extra = {
            "extra_text_label": kind.extra_text_label,
            "extra_text_required": bool(spec.authoritative_value(subject, kind.extra_text_field)),
        }
    form = TranslationForm(
        request.POST or None,
        text_label=kind.text_label if kind.text_field else None,
        text_required=bool(text),
        title_max_length=kind.title_max_length,
        titled=kind.titled,
        rich_text=kind.rich_text,
        initial=initial,
        **extra,
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        named = kind.named(subject)
        if kind.text_field:
            named[kind.text_field] = values["text"]
        if kind.extra_text_field:
            named[kind.extra_text_field] = values["extra_text"]
        if kind.titled:
            named["title"] = values["title"]
        write(**named, user=request.user, language=values["language"])
        messages.success(request, _("Translation saved as an unofficial translation."))
        return redirect(f"{kind.url(subject)}?lang={values['language']}")

    def page(status: int) -> HttpResponse:
        context = _context(request, subject, kind, form, text)
        return render(request, "parallel_translations.html", context, status=status)

    return render_form_or_save(request, form, save, page)


def translation_pages(
    kind: TranslatedText, *, write: Callable[..., Any], confirm: Callable[..., Any]
) -> tuple[View, View]:
    """The translations page of ``kind`` (``write`` saves a translation) and its confirm
    step (``confirm`` confirms one): the secretariat's only unless ``kind`` lets others
    translate, anyone else finds no such page."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def translations(request: HttpRequest, public_id: str) -> HttpResponse:
        return _page(request, public_id, kind, write)

    @login_required
    @require_POST
    def translation_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
        if kind.secretariat_only:
            secretariat_only(request)
        subject = kind.load(user=request.user, public_id=public_id)
        language = request.POST.get("language", "")
        return run_service_and_redirect(
            request,
            kind.url(subject),
            lambda: confirm(**kind.named(subject), user=request.user, language=language),
            gettext_lazy("Translation confirmed."),
        )

    return translations, translation_confirm
