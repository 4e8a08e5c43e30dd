"""The secretariat's page of an agenda item's translations (consult/parallel.py): each
language's state, a form to add or update one (an unofficial translation until
confirmed) and the confirm buttons. Open at any point of the agenda's life: a
translation changes neither the item nor its agenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agenda.models import AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.selectors.agendas import agenda_item_get
from agenda.services import translations as services
from consult import parallel
from consult.pages import render_form_or_save, run_service_and_redirect, secretariat_only
from consult.parallel_forms import TranslationForm


def _translations_url(item: AgendaItem) -> str:
    return reverse("agenda:agendaitem_translations", kwargs={"public_id": item.public_id})


@login_required
@require_http_methods(["GET", "POST"])
def agendaitem_translations(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    item = agenda_item_get(user=request.user, public_id=public_id)
    authoritative = item.language
    language = parallel.language_to_edit(request.GET.get("lang"), authoritative)
    form = TranslationForm(
        request.POST or None,
        text_label=gettext_lazy("Description"),
        # Required when the item has one (the service says so too); plain text, as the
        # item's own description is.
        text_required=bool(item.description),
        rich_text=False,
        title_max_length=200,
        initial={
            "language": language,
            "title": AGENDA_ITEM_PARALLEL.translation_value(item, "title", language),
            "text": AGENDA_ITEM_PARALLEL.translation_value(item, "description", language),
        },
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.agenda_item_translation_set(
            item=item,
            user=request.user,
            language=values["language"],
            title=values["title"],
            description=values["text"],
        )
        messages.success(request, _("Translation saved as an unofficial translation."))
        return redirect(f"{_translations_url(item)}?lang={values['language']}")

    def page(status: int) -> HttpResponse:
        languages = parallel.language_states(item, AGENDA_ITEM_PARALLEL)
        return render(
            request,
            "parallel_translations.html",
            {
                "back_url": reverse(
                    "agenda:agenda_build", kwargs={"public_id": item.session.public_id}
                ),
                "confirm_url": reverse(
                    "agenda:agendaitem_translation_confirm", kwargs={"public_id": item.public_id}
                ),
                "authoritative_language": authoritative,
                "note": _(
                    "One language is authoritative; a translation is unofficial until the "
                    "secretariat confirms it, and outdated once the item's title or "
                    "description changes."
                ),
                "form": form,
                "languages": languages,
                "states": parallel.TranslationState,
                "authoritative_title": item.title,
                # The template shows it as HTML: the plain description, escaped.
                "authoritative_text": linebreaksbr(item.description, autoescape=True),
            },
            status=status,
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def agendaitem_translation_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    item = agenda_item_get(user=request.user, public_id=public_id)
    language = request.POST.get("language", "")
    return run_service_and_redirect(
        request,
        _translations_url(item),
        lambda: services.agenda_item_translation_confirm(
            item=item, user=request.user, language=language
        ),
        gettext_lazy("Translation confirmed."),
    )
