"""Objections to a circulated agenda: raised by seat-holder delegations in the window,
answered by the secretariat (the body is consultative: an objection is answered, not a veto)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from agenda.models import Agenda, AgendaItem, Objection, Session
from agenda.services.agendas import agenda_lock
from consult.access import active_party_ids, require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import utc_text
from consult.validation import clean_text
from members.models import Party
from members.selectors.seats import seat_holder_parties


def objection_refusal(agenda: Agenda | None, *, number: str, now: datetime) -> str | None:
    """Why no objection can be raised to the agenda now, or None while its window is open.

    The objection service raises it; the objection page offers its form only
    when it is None.
    """
    if agenda is not None and agenda.status == Agenda.Status.ADOPTED:
        return gettext("The agenda of %(number)s is adopted; objections are closed.") % {
            "number": number
        }
    if (
        agenda is None
        or agenda.status != Agenda.Status.CIRCULATED
        or agenda.objection_deadline is None
    ):
        return gettext(
            "The agenda of %(number)s has not been circulated; there is nothing to object to yet."
        ) % {"number": number}
    if now > agenda.objection_deadline:
        return gettext(
            "The objection window closed on %(deadline)s; objections are no longer accepted."
        ) % {"deadline": utc_text(agenda.objection_deadline, "d F Y, H:i")}
    return None


@transaction.atomic
def objection_raise(
    *,
    session: Session,
    user: Actor,
    text: str,
    item: AgendaItem | None = None,
    party: Party | None = None,
) -> Objection:
    """A seat-holder delegation objects to the circulated agenda (or one item) in the window.

    The same text from the same delegation on the same item in one circulation
    is one objection: sending it again (a double click, a retried request)
    answers the objection already raised.
    """
    agenda = agenda_lock(session)
    refusal = objection_refusal(agenda, number=session.number, now=timezone.now())
    if refusal is not None:
        raise ApplicationError(refusal)
    objector = _objecting_party(session=session, user=user, party=party)
    if item is not None and item.agenda_id != agenda.pk:
        raise ApplicationError(
            gettext("That item is not on this agenda."),
            fields={"item": [gettext("Not an item of this agenda.")]},
        )
    text = clean_text(text, field="text", label=gettext("The objection's text"), max_length=5000)
    objection, _ = Objection.objects.get_or_create(
        agenda=agenda,
        party=objector,
        digest=objection_digest(agenda=agenda, item=item, text=text),
        defaults={"item": item, "text": text, "raised_by": signed_in(user)},
    )
    return objection


def objection_digest(*, agenda: Agenda, item: AgendaItem | None, text: str) -> str:
    assert agenda.circulated_at is not None
    key = "\n".join([agenda.circulated_at.isoformat(), str(item.public_id) if item else "", text])
    return hashlib.sha256(key.encode()).hexdigest()


def _objecting_party(*, session: Session, user: Actor, party: Party | None) -> Party:
    quarter = Quarter.parse(session.quarter)
    seated = list(seat_holder_parties(quarter=quarter).filter(pk__in=active_party_ids(user)))
    if not seated:
        raise PermissionDenied(
            gettext("Only delegations holding a seat in %(quarter)s may object to the agenda.")
            % {"quarter": quarter}
        )
    if party is not None:
        if party not in seated:
            raise PermissionDenied(
                gettext(
                    "You do not belong to a delegation of %(party)s holding a seat in %(quarter)s."
                )
                % {"party": party.code, "quarter": quarter}
            )
        return party
    if len(seated) > 1:
        raise ApplicationError(
            gettext(
                "You belong to several seat-holding delegations; say on whose behalf you object."
            ),
            fields={"party": [gettext("Choose the delegation.")]},
        )
    return seated[0]


@transaction.atomic
def objection_answer(*, objection: Objection, user: Actor, response: str) -> Objection:
    """The secretariat records its answer to an objection (adoption waits for every answer)."""
    require_secretariat(user, gettext("answer objections"))
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise ApplicationError(gettext("This objection has already been answered."))
    objection.response = clean_text(
        response, field="response", label=gettext("The answer"), max_length=5000
    )
    objection.answered_by = signed_in(user)
    objection.answered_at = timezone.now()
    objection.save(update_fields=["response", "answered_by", "answered_at"])
    return objection
