"""The seat-holders' answers to a circulated communiqué: each states its position
(associates, with a reservation, or dissociates) and, under the silence procedure,
may break silence before the deadline."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.validation import check_choice, clean_text
from members.models import Party
from minutes.models import Communique, Position, SilenceBreak
from minutes.services.rules import (
    communique_locked,
    require_before_deadline,
    require_delegate,
    require_seat_holder,
    utc_when,
)


@transaction.atomic
def position_state(
    *,
    communique: Communique,
    party: Party,
    user: Actor,
    stance: str,
    reservation: str = "",
) -> Position:
    """A seat-holder states (or changes, until the deadline) its position on the circulated text."""
    communique = communique_locked(communique)
    require_before_deadline(communique, timezone.now(), gettext("state a position"))
    require_seat_holder(communique, party, gettext("state a position"))
    require_delegate(user, party, gettext("state its position"))
    check_choice(stance, Position.Stance, field="stance", label=gettext("Position"))
    reservation = (reservation or "").strip()
    if stance == Position.Stance.RESERVATION:
        reservation = clean_text(reservation, field="reservation", label=gettext("The reservation"))
    elif reservation:
        raise ApplicationError(
            gettext("Only a position with a reservation carries a reservation text."),
            fields={"reservation": [gettext("Leave empty, or associate with a reservation.")]},
        )
    position, _ = Position.objects.update_or_create(
        version=communique.circulated_version,
        party=party,
        defaults={"stance": stance, "reservation": reservation, "stated_by": signed_in(user)},
    )
    return position


@transaction.atomic
def silence_break(
    *, communique: Communique, party: Party, user: Actor, reason: str
) -> SilenceBreak:
    """A seat-holder breaks the silence procedure: the text is not agreed at the deadline."""
    communique = communique_locked(communique)
    if not communique.silence_procedure:
        raise ApplicationError(
            gettext("“%(title)s” is not under the silence procedure.") % {"title": communique.title}
        )
    require_before_deadline(communique, timezone.now(), gettext("break silence"))
    require_seat_holder(communique, party, gettext("break silence"))
    require_delegate(user, party, gettext("break silence"))
    version = communique.circulated_version
    assert version is not None
    earlier = SilenceBreak.objects.filter(version=version, party=party).first()
    if earlier is not None:
        raise ApplicationError(
            gettext("%(party)s already broke silence on this text on %(when)s.")
            % {"party": party.display_name, "when": utc_when(earlier.created_at)}
        )
    return SilenceBreak.objects.create(
        version=version,
        party=party,
        reason=clean_text(reason, field="reason", label=gettext("The reason")),
        broken_by=signed_in(user),
    )
