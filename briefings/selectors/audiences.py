"""What a reader may read of a session's briefing pack: their *audience*.

An audience is the exact set of agenda items, paper versions, open action
points and recorded statements a delegate may read under the access rule
(the agenda and minutes selectors decide; nothing here checks access by
hand). Delegates with the same audience get the same render.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from agenda.models import AgendaItem, Session
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from consult import access
from consult.actors import Actor
from crises.selectors.briefing import registers_audience, threat_picture_audience
from crises.selectors.exercises import pack_report_ids
from minutes.selectors.record import open_action_points, statement_list


def content_digest(value: Any) -> str:
    """A stable hash of a JSON-able value (keys sorted, anything else as text)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Audience:
    items: tuple[int, ...]
    documents: tuple[tuple[int, int], ...]
    """(document id, version number) of each readable paper's current version."""
    action_points: tuple[int, ...]
    statements: tuple[int, ...]
    full_record: bool = False
    """The reader is secretariat staff: Chatham House speakers are not hidden from them."""
    threat_assessment: int | None = None
    """The assessment whose released picture the pack shows (the session's, or the latest
    earlier one the reader reads that has a released round)."""
    threat_parties: tuple[int, ...] = ()
    """The parties the reader sees by name in that picture (on an anonymised assessment, only
    their own): readers who see other names get another render."""
    own_scores: tuple[int, ...] = ()
    """The reader's own delegation's scores of the session's open round, still sealed."""
    exercise_reports: tuple[int, ...] = ()
    """The published after-action reports of exercises since the previous session."""
    off_ramps: tuple[int, ...] = ()
    """The off-ramps of the crises linked to the agenda items the reader reads."""
    private_stances: tuple[int, ...] = ()
    """The stances kept to a party and the secretariat that the reader reads on them."""
    norms: tuple[int, ...] = ()
    """The norms the reader reads, when the agenda has a norms item they read."""
    incidents: tuple[int, ...] = ()
    """The incidents under those norms since the previous session that the reader reads."""

    @property
    def key(self) -> str:
        return content_digest(self.as_json())

    def as_json(self) -> dict[str, Any]:
        return {
            "items": list(self.items),
            "documents": [list(pair) for pair in self.documents],
            "action_points": list(self.action_points),
            "statements": list(self.statements),
            "full_record": self.full_record,
            "threat_assessment": self.threat_assessment,
            "threat_parties": list(self.threat_parties),
            "own_scores": list(self.own_scores),
            "exercise_reports": list(self.exercise_reports),
            "off_ramps": list(self.off_ramps),
            "private_stances": list(self.private_stances),
            "norms": list(self.norms),
            "incidents": list(self.incidents),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Audience:
        return cls(
            items=tuple(value.get("items", ())),
            documents=tuple((int(d), int(n)) for d, n in value.get("documents", ())),
            action_points=tuple(value.get("action_points", ())),
            statements=tuple(value.get("statements", ())),
            full_record=bool(value.get("full_record", False)),
            threat_assessment=value.get("threat_assessment"),
            threat_parties=tuple(value.get("threat_parties", ())),
            own_scores=tuple(value.get("own_scores", ())),
            exercise_reports=tuple(value.get("exercise_reports", ())),
            off_ramps=tuple(value.get("off_ramps", ())),
            private_stances=tuple(value.get("private_stances", ())),
            norms=tuple(value.get("norms", ())),
            incidents=tuple(value.get("incidents", ())),
        )

    def within(self, current: Audience) -> bool:
        """Everything in this audience is still readable by a reader whose audience is ``current``.

        A newer version of a paper the reader still reads keeps the older one
        readable (its history is open to them), so papers compare by document.
        """
        readable_documents = {document for document, _ in current.documents}
        return (
            set(self.items) <= set(current.items)
            and {document for document, _ in self.documents} <= readable_documents
            and set(self.action_points) <= set(current.action_points)
            and set(self.statements) <= set(current.statements)
            and (current.full_record or not self.full_record)
            and self.threat_assessment in (None, current.threat_assessment)
            and set(self.threat_parties) <= set(current.threat_parties)
            and set(self.own_scores) <= set(current.own_scores)
            and set(self.exercise_reports) <= set(current.exercise_reports)
            and set(self.off_ramps) <= set(current.off_ramps)
            and set(self.private_stances) <= set(current.private_stances)
            and set(self.norms) <= set(current.norms)
            and set(self.incidents) <= set(current.incidents)
        )

    @property
    def is_empty(self) -> bool:
        return not self.items


def pack_audience(*, user: Actor, session: Session) -> Audience:
    """What ``user`` may read of ``session``'s pack right now (a handful of queries)."""
    item_kinds = dict(
        agenda_item_list(user=user, session=session)
        .prefetch_related(None)
        .values_list("pk", "kind")
    )
    item_ids = sorted(item_kinds)
    readable_items = set(item_ids)
    documents = sorted(
        (pk, version)
        for pk, version, item_id in document_list(user=user, session=session)
        .prefetch_related(None)
        .values_list("pk", "current_version", "item_id")
        # A paper of an item the reader does not see would name that item.
        if item_id is None or item_id in readable_items
    )
    points = sorted(
        open_action_points(user, session=session).values_list("pk", flat=True).distinct()
    )
    carried = list(
        AgendaItem.objects.filter(pk__in=item_ids, carried_from__isnull=False).values_list(
            "carried_from_id", flat=True
        )
    )
    statements = (
        sorted(
            statement_list(user)
            .filter(item_id__in=carried)
            .prefetch_related(None)
            .values_list("pk", flat=True)
        )
        if carried
        else []
    )
    picture = threat_picture_audience(user=user, session=session)
    registers = registers_audience(
        user=user,
        session=session,
        items=item_ids,
        norms_on_agenda=AgendaItem.Kind.NORMS in item_kinds.values(),
    )
    return Audience(
        items=tuple(item_ids),
        documents=tuple(documents),
        action_points=tuple(points),
        statements=tuple(statements),
        full_record=access.is_secretariat(user),
        threat_assessment=picture.assessment,
        threat_parties=picture.named_parties,
        own_scores=picture.own_scores,
        exercise_reports=pack_report_ids(user=user, session=session),
        off_ramps=registers.off_ramps,
        private_stances=registers.private_stances,
        norms=registers.norms,
        incidents=registers.incidents,
    )
