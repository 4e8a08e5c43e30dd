"""Frozen copies of the minutes, and their rendering as text lines for a diff.

A revision keeps the record as structured data (who spoke on which item,
whether the item was under the Chatham House rule), not as finished text, so
that it can be rendered for each reader: the secretariat sees speakers and
parties; anyone else reads "a participant" on Chatham House items and sees
only the statements and action points the access rule lets them read today.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from consult.diff import html_to_text
from minutes.models import ActionPoint, Attendance, Minutes, Statement

A_PARTICIPANT = "a participant"
SNAPSHOT_FORMAT = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def minutes_snapshot(minutes: Minutes) -> dict[str, Any]:
    """The whole record as it stands, as JSON-ready data."""
    session = minutes.session
    attendances = (
        Attendance.objects.filter(minutes=minutes)
        .select_related("party")
        .prefetch_related("delegates")
        .order_by("party__name_en")
    )
    statements = (
        Statement.objects.filter(minutes=minutes)
        .select_related("item", "party")
        .order_by("item__order", "order")
    )
    action_points = (
        ActionPoint.objects.filter(minutes=minutes)
        .select_related("owner", "item")
        .order_by("due_date", "created_at")
    )
    items: dict[int, dict[str, Any]] = {}
    for item in session.items.order_by("order"):
        items[item.pk] = {
            "public_id": str(item.public_id),
            "order": item.order,
            "title": item.title,
            "chatham_house": item.chatham_house,
            "statements": [],
        }
    for statement in statements:
        items[statement.item_id]["statements"].append(
            {
                "public_id": str(statement.public_id),
                "kind": statement.kind,
                "order": statement.order,
                "party": statement.party.name_en,
                "speaker": statement.speaker_name,
                "summary": statement.summary,
                "text": html_to_text(statement.full_text),
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "session": {"number": session.number, "title": session.title},
        "status": minutes.status,
        "attendance": [
            {
                "party": attendance.party.name_en,
                "delegates": sorted(
                    user.get_full_name() or user.get_username()
                    for user in attendance.delegates.all()
                ),
                "arrived_at": _iso(attendance.arrived_at),
                "left_at": _iso(attendance.left_at),
            }
            for attendance in attendances
        ],
        "items": list(items.values()),
        "corrections": [
            amendment.text
            for amendment in minutes.amendments.filter(
                status="accepted", statement__isnull=True
            ).order_by("decided_at")
        ],
        "action_points": [
            {
                "public_id": str(point.public_id),
                "description": point.description,
                "owner": point.owner.name_en if point.owner else "Secretariat",
                "item": point.item.order if point.item else None,
                "due_date": point.due_date.isoformat(),
                "status": point.status,
            }
            for point in action_points
        ],
    }


@dataclass(frozen=True, slots=True)
class Viewer:
    """What one reader may see of a snapshot.

    ``reveal``: speakers on Chatham House items are shown (the secretariat).
    ``statements``/``action_points``: public ids the reader may read now
    (None: all). ``chatham_items``: items under the rule today, so a flag set
    after the snapshot was taken also hides the speaker.
    """

    reveal: bool
    statements: Collection[str] | None
    action_points: Collection[str] | None
    chatham_items: Collection[str]


def snapshot_lines(snapshot: dict[str, Any], viewer: Viewer) -> list[str]:
    lines = [f"Minutes of {snapshot['session']['number']}", ""]
    lines.append("Attendance")
    for attendance in snapshot["attendance"]:
        delegates = ", ".join(attendance["delegates"]) or "no delegate named"
        lines.append(f"  {attendance['party']}: {delegates}")
    for item in snapshot["items"]:
        statements = [
            statement
            for statement in item["statements"]
            if viewer.statements is None or statement["public_id"] in viewer.statements
        ]
        if not statements:
            continue
        hidden = not viewer.reveal and (
            item["chatham_house"] or item["public_id"] in viewer.chatham_items
        )
        rule = " (Chatham House rule)" if hidden or item["chatham_house"] else ""
        lines += ["", f"Item {item['order']}: {item['title']}{rule}"]
        for statement in statements:
            party = A_PARTICIPANT if hidden else statement["party"]
            speaker = "" if hidden or not statement["speaker"] else f" ({statement['speaker']})"
            label = "Interpretative statement" if statement["kind"] == "interpretative" else ""
            prefix = f"{label} by " if label else ""
            lines.append(
                f"  {statement['order']}. {prefix}{party}{speaker}: {statement['summary']}"
            )
            lines += [f"     {line}" for line in statement["text"].splitlines()]
    if snapshot["corrections"]:
        lines += ["", "Corrections"]
        lines += [f"  - {text}" for text in snapshot["corrections"]]
    points = [
        point
        for point in snapshot["action_points"]
        if viewer.action_points is None or point["public_id"] in viewer.action_points
    ]
    if points:
        lines += ["", "Action points"]
        for point in points:
            lines.append(
                f"  - {point['description']} ({point['owner']}, due {point['due_date']}, "
                f"{point['status']})"
            )
    return lines
