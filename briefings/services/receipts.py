"""Read receipts: a delegate read the pack in the browser or downloaded their copy."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import Session
from audit.models import AuditEntry
from audit.services import audit_record
from briefings.models import Pack, PackReceipt
from consult.actors import Actor
from consult.errors import ApplicationError
from members.models import Party


@transaction.atomic
def pack_receipt_record(
    *, session: Session, user: Actor, action: str, pack: Pack | None, party: Party | None = None
) -> PackReceipt:
    """Note that ``user`` read the pack in the browser or downloaded their copy."""
    if action not in PackReceipt.Action.values:
        raise ApplicationError(_("Unknown pack action %(action)s.") % {"action": repr(action)})
    if isinstance(user, AnonymousUser):
        raise ApplicationError(_("Only a signed-in reader's reading is recorded."))
    receipt = PackReceipt.objects.create(
        session=session,
        pack=pack,
        user=user,
        party=pack.party if pack is not None else party,
        action=action,
    )
    downloaded = action == PackReceipt.Action.DOWNLOAD
    audit_record(
        kind=AuditEntry.Kind.PACK_DOWNLOAD if downloaded else AuditEntry.Kind.PACK_READ,
        user=user,
        obj=pack if pack is not None else session,
        summary=f"{'Downloaded' if downloaded else 'Read'} the briefing pack of {session.number}.",
    )
    return receipt
