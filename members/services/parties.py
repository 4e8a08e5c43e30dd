"""Parties and their memberships of organisations."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from consult.errors import ApplicationError
from consult.validation import check_visible
from members.models import Party, PartyMembership
from members.services._common import validate


def _visible(value: str, field: str) -> str:
    return check_visible(value.strip(), field=field, label=_("The party's name or code"))


@transaction.atomic
def party_create(
    *, code: str, kind: str, name_en: str, name_fr: str = "", name_ru: str = ""
) -> Party:
    party = Party(
        code=_visible(code, "code").upper(),
        kind=kind,
        name_en=_visible(name_en, "name_en"),
        name_fr=_visible(name_fr, "name_fr"),
        name_ru=_visible(name_ru, "name_ru"),
    )
    validate(party)
    party.save()
    return party


@transaction.atomic
def party_update(
    *,
    party: Party,
    name_en: str | None = None,
    name_fr: str | None = None,
    name_ru: str | None = None,
) -> Party:
    """Rename a party; its code and kind are its identity and do not change."""
    changes = {"name_en": name_en, "name_fr": name_fr, "name_ru": name_ru}
    changed = [field for field, value in changes.items() if value is not None]
    for field in changed:
        setattr(party, field, _visible(changes[field] or "", field))
    validate(party)
    if changed:
        party.save(update_fields=changed)
    return party


@transaction.atomic
def party_membership_add(
    *, member: Party, organisation: Party, since_year: int, until_year: int | None = None
) -> PartyMembership:
    """Record that a state belongs to an organisation (years inclusive)."""
    if organisation.kind != Party.Kind.ORGANISATION:
        raise ApplicationError(
            _("%(party)s is not an organisation; states join organisations.")
            % {"party": organisation.display_name}
        )
    if member.kind != Party.Kind.STATE:
        raise ApplicationError(
            _("%(party)s is not a state; only states join organisations.")
            % {"party": member.display_name}
        )
    if until_year is not None and until_year < since_year:
        raise ApplicationError(
            _("A membership cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": until_year, "start": since_year},
            fields={"until_year": [_("Ends before it starts.")]},
        )
    if PartyMembership.objects.filter(member=member, organisation=organisation).exists():
        raise ApplicationError(
            _("%(party)s is already a member of %(organisation)s.")
            % {"party": member.display_name, "organisation": organisation.code}
        )
    return PartyMembership.objects.create(
        member=member, organisation=organisation, since_year=since_year, until_year=until_year
    )


@transaction.atomic
def party_membership_end(*, membership: PartyMembership, until_year: int) -> PartyMembership:
    """Close a membership: the member belongs until the end of ``until_year``.

    Rotation plans are refreshed by the periodic planning task.
    """
    if membership.until_year is not None:
        raise ApplicationError(
            _("%(party)s's membership of %(organisation)s already ended in %(year)s.")
            % {
                "party": membership.member.display_name,
                "organisation": membership.organisation.code,
                "year": membership.until_year,
            }
        )
    if until_year < membership.since_year:
        raise ApplicationError(
            _("A membership cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": until_year, "start": membership.since_year},
            fields={"until_year": [_("Ends before it starts.")]},
        )
    membership.until_year = until_year
    membership.save(update_fields=["until_year"])
    return membership
