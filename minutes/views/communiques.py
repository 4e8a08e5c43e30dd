"""Pages of communiqués: a public index, a public page per published text and an
Atom feed (all without an account); drafting for the secretariat; positions
and silence breaks for the seat-holders.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agenda.selectors.sessions import session_filter_choices, session_list
from consult import access, parallel
from consult.actors import Actor
from consult.listing import filtered_page, page_of
from consult.pages import (
    render_form_or_save,
    run_service_and_redirect,
    secretariat_only,
    secretariat_step,
)
from consult.parallel_views import TranslatedText, translation_pages
from members.models import Party
from members.selectors.parties import party_own_list
from minutes.forms import (
    CommuniqueCirculateForm,
    CommuniqueDraftForm,
    CommuniqueVersionForm,
    PositionForm,
    SilenceBreakForm,
)
from minutes.models import Communique
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors import communiques as communiques_selectors
from minutes.selectors import listing as listing_selectors
from minutes.selectors import signing as signing_selectors
from minutes.selectors.publication import PublishedWording, published_wording
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services


def _my_parties(request: HttpRequest) -> QuerySet[Party]:
    return party_own_list(user=request.user)


def communique_list(request: HttpRequest) -> HttpResponse:
    """The public index, a page at a time, filtered as in the API; seat-holders and the
    secretariat also see the texts being drafted."""
    listing = filtered_page(
        request,
        listing_selectors.published_communique_filter(request.GET),
        shown=("quarter", "session", "kind"),
        choices={
            **session_filter_choices(user=request.user).as_choices(),
        },
    )
    context: dict[str, Any] = {
        "listing": listing,
        "published": listing.rows,
        "is_secretariat": access.is_secretariat(request.user),
    }
    if request.user.is_authenticated:
        context["drafts"] = page_of(
            request,
            listing_selectors.draft_communique_list(request.user),
            param="drafts_page",
        )
    return render(request, "minutes/communique_list.html", context, status=listing.status)


def _language_url(communique: Communique, language: str) -> str:
    return f"{communique.get_absolute_url()}?lang={language}"


def reader_language(request: HttpRequest) -> str:
    """The language a text page is read in: ``?lang=`` when it names a working language
    (each language's version has its own address), else the reader's own."""
    asked = request.GET.get("lang", "")
    if asked in parallel.language_codes():
        return asked
    return translation.get_language() or parallel.language_codes()[0]


def communique_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    communique = communiques_selectors.communique_get(request.user, public_id=public_id)
    version = parallel.version_for(communique, COMMUNIQUE_PARALLEL, reader_language(request))
    context: dict[str, Any] = {
        "communique": communique,
        "version": version,
        "language_links": [
            (available, _language_url(communique, available.language))
            for available in version.available
            if available.current
        ],
        "feed_languages": parallel.language_codes(),
        "footnotes": communiques_selectors.communique_footnotes(communique),
        "signature": signing_selectors.communique_signature_of(communique),
        "drafting": False,
    }
    if request.user.is_authenticated and communiques_selectors.can_follow_drafting(
        request.user, communique
    ):
        secretariat = access.is_secretariat(request.user)
        versions = list(
            communiques_selectors.communique_version_list(request.user, communique=communique)
        )
        parties = _my_parties(request)
        circulated = communique.status == Communique.Status.CIRCULATED
        context.update(
            drafting=True,
            is_secretariat=secretariat,
            versions=versions,
            latest=versions[-1] if versions else None,
            positions=communiques_selectors.position_list(
                request.user, version=communique.circulated_version
            )
            if communique.circulated_version
            else [],
            silence_breaks=communiques_selectors.silence_break_list(
                request.user, communique=communique
            ),
            version_form=CommuniqueVersionForm(
                initial={"title": communique.title, "text": versions[-1].text if versions else ""}
            )
            if secretariat and communique.status != Communique.Status.PUBLISHED
            else None,
            circulate_form=CommuniqueCirculateForm(
                initial={"silence_procedure": communique.silence_procedure}
            )
            if secretariat and communique.status == Communique.Status.DRAFT
            else None,
            position_form=PositionForm(parties=parties)
            if circulated and not secretariat and parties.exists()
            else None,
            silence_form=SilenceBreakForm(parties=parties)
            if circulated and communique.silence_procedure and not secretariat and parties.exists()
            else None,
        )
    elif communique.status != Communique.Status.PUBLISHED:
        raise Http404("Not found.")
    return render(request, "minutes/communique_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def communique_draft(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
    sessions = session_list(user=request.user).exclude(status="cancelled")
    form = CommuniqueDraftForm(
        request.POST or None,
        sessions=sessions,
        initial={"session": request.GET.get("session")},
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        communique = communiques_services.communique_draft(user=request.user, **values)
        messages.success(request, _("Draft opened with its first version."))
        return redirect(communique.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(request, "minutes/communique_form.html", {"form": form}, status=status)

    return render_form_or_save(request, form, save, page)


def _drafted_communique(*, user: Actor, public_id: str) -> Communique:
    """A text whose drafting ``user`` follows (404 otherwise)."""
    communique = communiques_selectors.communique_get(user, public_id=public_id)
    if not communiques_selectors.can_follow_drafting(user, communique):
        raise Http404("Not found.")
    return communique


def _drafting_communique(request: HttpRequest, public_id: str) -> Communique:
    return _drafted_communique(user=request.user, public_id=public_id)


def _latest_text(communique: Communique, user: Actor) -> str:
    """The text of the latest version, the draft's included."""
    versions = list(communiques_selectors.communique_version_list(user, communique=communique))
    return versions[-1].text if versions else ""


communique_translations, communique_translation_confirm = translation_pages(
    TranslatedText(
        "minutes:communique",
        _drafted_communique,
        COMMUNIQUE_PARALLEL,
        "text",
        gettext_lazy("Text"),
        note=gettext_lazy(
            "One language is authoritative; a translation is unofficial until the "
            "secretariat confirms it, and outdated once the authoritative text "
            "changes. The signature covers the authoritative text only."
        ),
        shown_text=_latest_text,
    ),
    write=communiques_services.communique_translation_set,
    confirm=communiques_services.communique_translation_confirm,
)


@login_required
@require_POST
def communique_version_add(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    communique = _drafting_communique(request, public_id)
    form = CommuniqueVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A version needs a title and a text."))
        return redirect(communique.get_absolute_url())
    values = form.cleaned_data
    return run_service_and_redirect(
        request,
        communique.get_absolute_url(),
        lambda: communiques_services.communique_version_add(
            communique=communique,
            user=request.user,
            text=values["text"],
            note=values["note"],
            title=values["title"],
        ),
        _("New version added."),
    )


@login_required
@require_POST
def communique_circulate(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    communique = _drafting_communique(request, public_id)
    form = CommuniqueCirculateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the deadline as 2027-03-20 12:00 (UTC)."))
        return redirect(communique.get_absolute_url())
    return run_service_and_redirect(
        request,
        communique.get_absolute_url(),
        lambda: communiques_services.communique_circulate(
            communique=communique,
            user=request.user,
            deadline=form.cleaned_data["deadline"],
            silence_procedure=form.cleaned_data["silence_procedure"],
        ),
        _("Circulated to the seat-holders."),
    )


communique_publish = secretariat_step(
    communiques_services.communique_publish,
    gettext_lazy("Published."),
    load=_drafting_communique,
    subject="communique",
    back=Communique.get_absolute_url,
    second_factor=True,
)


@login_required
@require_POST
def position_state(request: HttpRequest, public_id: str) -> HttpResponse:
    communique = _drafting_communique(request, public_id)
    form = PositionForm(request.POST, parties=_my_parties(request))
    if not form.is_valid():
        messages.error(request, _("Choose your party and a position."))
        return redirect(communique.get_absolute_url())
    values = form.cleaned_data
    return run_service_and_redirect(
        request,
        communique.get_absolute_url(),
        lambda: positions_services.position_state(
            communique=communique,
            party=values["party"],
            user=request.user,
            stance=values["stance"],
            reservation=values["reservation"],
        ),
        _("Position recorded; you may change it until the deadline."),
    )


@login_required
@require_POST
def silence_break(request: HttpRequest, public_id: str) -> HttpResponse:
    communique = _drafting_communique(request, public_id)
    form = SilenceBreakForm(request.POST, parties=_my_parties(request))
    if not form.is_valid():
        messages.error(request, _("Breaking silence needs your party and a reason."))
        return redirect(communique.get_absolute_url())
    values = form.cleaned_data
    return run_service_and_redirect(
        request,
        communique.get_absolute_url(),
        lambda: positions_services.silence_break(
            communique=communique, party=values["party"], user=request.user, reason=values["reason"]
        ),
        _("Silence broken."),
    )


@login_required
def communique_version_diff(request: HttpRequest, public_id: str) -> HttpResponse:
    communique = _drafting_communique(request, public_id)
    versions = list(
        communiques_selectors.communique_version_list(request.user, communique=communique)
    )
    numbers = [version.number for version in versions]
    try:
        older = int(request.GET.get("older") or (numbers[-2] if len(numbers) > 1 else 1))
        newer = int(request.GET.get("newer") or numbers[-1])
    except (ValueError, IndexError) as exc:
        raise Http404("Not found.") from exc
    diff = communiques_selectors.communique_version_diff(
        request.user, communique=communique, older=older, newer=newer
    )
    return render(
        request,
        "minutes/communiqueversion_diff.html",
        {"communique": communique, "versions": versions, "diff": diff},
    )


if TYPE_CHECKING:  # generic to the type checker only, not at run time
    CommuniqueFeedBase = Feed[Communique, str | None]
else:
    CommuniqueFeedBase = Feed


class LanguageAtomFeed(Atom1Feed):
    """Atom with each entry's language (``xml:lang``) and its versions' ``hreflang`` links."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for language, href in item["alternates"]:
            handler.addQuickElement(
                "link", "", {"href": href, "rel": "alternate", "hreflang": language}
            )


class CommuniqueFeed(CommuniqueFeedBase):
    """Atom feed of published communiqués and chair's statements; the same for every reader.

    One feed per working language (``feed/<lang>/``): each entry in that language when it
    has a current translation, else the authoritative text (the entry's ``xml:lang`` says
    which). ``feed/`` gives every text in its authoritative language.
    """

    feed_type = LanguageAtomFeed
    title = gettext_lazy("Crisis Consultation Body: communiqués and chair's statements")
    subtitle = gettext_lazy("Non-binding texts published by the Crisis Consultation Body.")
    link = reverse_lazy("minutes:communique_list")
    language = ""
    request_base = ""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = kwargs.get("language")
        if language is not None and language not in parallel.language_codes():
            raise Http404("Not found.")
        # One instance serves every request: this one's language goes on a copy.
        feed = copy.copy(self)
        feed.language = language or ""
        feed.request_base = request.build_absolute_uri("/").rstrip("/")
        # The feed's own words and its xml:lang are in the feed's language.
        with translation.override(language or settings.LANGUAGE_CODE):
            return CommuniqueFeedBase.__call__(feed, request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
        return kwargs.get("language")

    def feed_url(self, obj: str | None) -> str:
        if obj is None:
            return reverse("minutes:communique_feed")
        return reverse("minutes:communique_feed_language", kwargs={"language": obj})

    def items(self, obj: str | None) -> Any:
        return communiques_selectors.published_communique_list()[:50]

    def _version(self, item: Communique) -> parallel.Version:
        return parallel.version_for(item, COMMUNIQUE_PARALLEL, self.language or item.language)

    def _words(self, item: Communique) -> PublishedWording:
        version = self._version(item)
        return published_wording(item, version.language, str(version["title"]))

    def item_title(self, item: Communique) -> str:
        return self._words(item).title

    def item_description(self, item: Communique) -> str:
        return render_to_string(
            "minutes/communique_feed_entry.html",
            {
                "communique": item,
                "version": self._version(item),
                "footnotes": communiques_selectors.communique_footnotes(item),
            },
        )

    def item_link(self, item: Communique) -> str:
        path = reverse("minutes:communique_detail", kwargs={"public_id": item.public_id})
        return f"{path}?lang={self.language}" if self.language else path

    def item_extra_kwargs(self, item: Communique) -> dict[str, Any]:
        version = self._version(item)
        return {
            "language": version.language,
            "alternates": [
                (available.language, self.request_base + _language_url(item, available.language))
                for available in version.available
                if available.current
            ],
        }

    def item_guid(self, item: Communique) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Communique) -> Any:
        return item.published_at

    def item_updateddate(self, item: Communique) -> Any:
        return item.published_at

    def item_author_name(self, item: Communique) -> str:
        return self._words(item).attribution
