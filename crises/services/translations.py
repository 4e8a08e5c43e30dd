"""The translations of the crisis toolkit's texts (consult/parallel.py): a crisis dossier's
title and summary, an off-ramp's and a norm's title and text, a tabletop exercise's title,
scenario and objectives, an inject's and an after-action report's text, a threat's title
and description.

Each app service (``crisis_translation_set``, ``norm_translation_confirm`` ...) cleans the
values as its own create and edit services clean the authoritative text; here the rule
every one of them shares: the secretariat only (the authoritative texts are the
secretariat's to edit) and a translation that leaves out nothing the authoritative text
has; the row locked, the translation written or confirmed, saved and audited in the
caller's transaction are consult/parallel_services.py's. And the edits of the
authoritative text that have no rule of their own beyond cleaning (``norm_update``,
``off_ramp_update``, ``inject_update``) write through ``authoritative_update``: a changed
text outdates every translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from audit.services import audit_record
from consult import parallel_services
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.parallel import TITLE_MAX_LENGTH, ParallelFields, translations_outdate
from consult.sanitize import sanitize_html
from consult.validation import clean_text
from crises.models import AfterActionReport, Crisis, Exercise, Inject, Norm, OffRamp, Threat

# How a refusal names each translated text.
TEXT_LABELS = {
    "summary": gettext_lazy("The summary"),
    "text": gettext_lazy("The text"),
    "scenario": gettext_lazy("The scenario"),
    "objectives": gettext_lazy("The text of the objectives"),
    "description": gettext_lazy("The description"),
}


def translated_title(title: str) -> str:
    """A translation's title, checked as a title is: required, visible, not too long."""
    return clean_text(
        title, field="title", label=_("The title"), max_length=TITLE_MAX_LENGTH, visible=True
    )


def _check_complete(
    locked: AfterActionReport | Crisis | Exercise | Inject | Norm | OffRamp | Threat,
    spec: ParallelFields,
    values: Mapping[str, str],
) -> None:
    """A translation leaves out nothing the authoritative text has: a summary, a text, a
    scenario, objectives or a description are required where the authoritative ones are
    not blank."""
    for name, value in values.items():
        authoritative = str(spec.authoritative_value(locked, name))
        if not sanitize_html(authoritative).is_blank and sanitize_html(value).is_blank:
            raise ApplicationError(
                _("%(label)s is required.") % {"label": TEXT_LABELS.get(name, name)},
                fields={name: [_("This field is required.")]},
            )


def translation_record[Text: (AfterActionReport, Crisis, Exercise, Inject, Norm, OffRamp, Threat)](
    subject: Text, spec: ParallelFields, *, user: Actor, language: str, values: Mapping[str, str]
) -> Text:
    """Add or rewrite the translation of ``subject`` into ``language`` with ``values``
    (cleaned by the caller): an unofficial translation until the secretariat confirms it."""

    def complete(locked: Text) -> Mapping[str, str]:
        _check_complete(locked, spec, values)
        return values

    return parallel_services.translation_record(
        subject,
        spec,
        user=user,
        language=language,
        values=complete,
        may=parallel_services.secretariat(gettext_lazy("translate the crisis toolkit's texts")),
    )


def translation_confirm_record[
    Text: (AfterActionReport, Crisis, Exercise, Inject, Norm, OffRamp, Threat)
](subject: Text, spec: ParallelFields, *, user: Actor, language: str) -> Text:
    """The secretariat confirms a current translation; a missing or outdated one is refused,
    a confirmed one stays as it is."""
    return parallel_services.translation_confirm_record(
        subject,
        spec,
        user=user,
        language=language,
        may=parallel_services.secretariat(gettext_lazy("confirm translations")),
    )


def authoritative_update[Text: (Inject, Norm, OffRamp)](
    locked: Text, spec: ParallelFields, *, user: Actor, values: Mapping[str, Any], said: str
) -> Text:
    """Write an edit's ``values`` (cleaned by the caller, which locked the row and checked
    who edits) on ``locked``: when its authoritative text (``spec``'s fields) changed, every
    translation is outdated until rewritten; saved and audited as ``said``. Nothing changed:
    nothing saved, nothing outdated, nothing audited."""
    changed: list[str] = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    columns = [*changed, "updated_at"]
    if any(name in spec.fields for name in changed):
        # The authoritative text changed: every translation is outdated until rewritten.
        columns += translations_outdate(locked, spec)
    locked.save(update_fields=columns)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=locked, summary=said)
    return locked
