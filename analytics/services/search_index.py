"""The search copy: text of statements, papers, action points, communiqués, items, crisis
dossiers and threats (never scores: a rationale is sealed until release, and then read
only through the assessment's picture).

Why a copy in this app rather than a generated column on each source table:
the sources belong to other apps, and one table gives one ranked query across
every kind of text with a single GIN index. The copy holds text and the
source's id only; who may read a hit is decided at query time by the source's
own selector (analytics.selectors.search), so a stale copy can delay a new
text from being found but can never show a text to someone who may not read
it.

A periodic task refreshes what changed since the last run (with an overlap,
for transactions that committed late) and a nightly run rebuilds everything
and drops entries whose source is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, transaction
from django.db.models import Case, F, Func, Max, OuterRef, QuerySet, Subquery, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Greatest

from agenda.models import AgendaItem, Document, DocumentVersion
from analytics.models import SearchEntry
from consult.diff import html_to_text
from crises.models import AfterActionReport, Crisis, Exercise, Incident, Norm, OffRamp, Threat
from minutes.models import ActionPoint, Communique, CommuniqueVersion, Statement

BATCH = 2000
OVERLAP = timedelta(minutes=5)
# Which configurations index a text: see SearchEntry's docstring.
LANGUAGE_CONFIGS, UNRECORDED = SearchEntry.LANGUAGE_CONFIGS, SearchEntry.UNRECORDED


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    rows: Callable[[], QuerySet[Any]]
    """Every row, annotated with ``changed_at``, reduced by ``values()``."""
    entry: Callable[[dict[str, Any]], dict[str, Any]]
    incremental: bool = True


def _text(html: str | None) -> str:
    # PostgreSQL's parser reads "<...>" as a markup tag and, after "<script>",
    # takes the rest for blanks: text that merely mentions a tag would vanish.
    return html_to_text(html or "").replace("<", " ").replace(">", " ")


def _statements() -> QuerySet[Any]:
    return Statement.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "minutes__session_id", "summary", "full_text", "changed_at"
    )


def _statement(row: dict[str, Any]) -> dict[str, Any]:
    # Only what was said: party and speaker stay out of the text, so a search for
    # a party's name never singles out its Chatham House statements.
    return {
        "session_id": row["minutes__session_id"],
        "title": _text(row["summary"]),
        "body": _text(row["full_text"]),
        "config": UNRECORDED,
    }


def _documents() -> QuerySet[Any]:
    # order_by(): the versions' default ordering would join papers and sessions
    # into each subquery for nothing (one row matches).
    current = DocumentVersion.objects.filter(
        document=OuterRef("pk"), number=OuterRef("current_version")
    ).order_by()
    return Document.objects.annotate(
        body_html=Subquery(current.values("body_html")[:1]),
        changed_at=Greatest(
            "updated_at", Coalesce(Subquery(current.values("created_at")[:1]), "updated_at")
        ),
    ).values(
        "pk", "public_id", "session_id", "symbol", "title", "language", "body_html", "changed_at"
    )


def _document(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["session_id"],
        "title": _text(f"{row['symbol']} {row['title']}"),
        "body": _text(row["body_html"]),
        "config": LANGUAGE_CONFIGS.get(row["language"], UNRECORDED),
    }


def _action_points() -> QuerySet[Any]:
    return ActionPoint.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "minutes__session_id", "description", "changed_at"
    )


def _action_point(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["minutes__session_id"],
        "title": "",
        "body": _text(row["description"]),
        "config": UNRECORDED,
    }


def _communiques() -> QuerySet[Any]:
    latest = CommuniqueVersion.objects.filter(communique=OuterRef("pk")).order_by("-number")
    # Without order_by(), the versions' default ordering (by their communiqué's
    # publication) joins minutes_communique inside the subquery, and that join,
    # not the outer row, answered "published_version": every communiqué got the
    # text of the one sorted first.
    published = CommuniqueVersion.objects.filter(pk=OuterRef("published_version")).order_by()
    return Communique.objects.annotate(
        text=Coalesce(Subquery(published.values("text")[:1]), Subquery(latest.values("text")[:1])),
        changed_at=Greatest(
            "updated_at", Coalesce(Subquery(latest.values("created_at")[:1]), "updated_at")
        ),
    ).values("pk", "public_id", "session_id", "title", "published_title", "text", "changed_at")


def _communique(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["session_id"],
        "title": _text(row["published_title"] or row["title"]),
        "body": _text(row["text"]),
        "config": UNRECORDED,
    }


def _agenda_items() -> QuerySet[Any]:
    return AgendaItem.objects.annotate(changed_at=F("created_at")).values(
        "pk", "public_id", "session_id", "title", "description", "changed_at"
    )


def _agenda_item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["session_id"],
        "title": _text(row["title"]),
        "body": _text(row["description"]),
        "config": UNRECORDED,
    }


def _crises() -> QuerySet[Any]:
    return Crisis.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "session_id", "title", "region", "summary", "changed_at"
    )


def _crisis(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["session_id"],
        "title": _text(row["title"]),
        "body": _text(" ".join(part for part in (row["region"], row["summary"]) if part)),
        "config": UNRECORDED,
    }


def _threats() -> QuerySet[Any]:
    return Threat.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "crisis__session_id", "title", "region", "description", "changed_at"
    )


def _threat(row: dict[str, Any]) -> dict[str, Any]:
    # Only the list's own text: never a score or a rationale, which stay sealed.
    return {
        "session_id": row["crisis__session_id"],
        "title": _text(row["title"]),
        "body": _text(" ".join(part for part in (row["region"], row["description"]) if part)),
        "config": UNRECORDED,
    }


def _off_ramps() -> QuerySet[Any]:
    return OffRamp.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "crisis__session_id", "title", "text", "preconditions", "changed_at"
    )


def _off_ramp(row: dict[str, Any]) -> dict[str, Any]:
    # The option's own text: never a stance (a private one is sealed to its party).
    return {
        "session_id": row["crisis__session_id"],
        "title": _text(row["title"]),
        "body": _text(" ".join(part for part in (row["text"], row["preconditions"]) if part)),
        "config": UNRECORDED,
    }


def _norms() -> QuerySet[Any]:
    return Norm.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "session_id", "title", "text", "source", "changed_at"
    )


def _norm(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["session_id"],
        "title": _text(row["title"]),
        "body": _text(" ".join(part for part in (row["source"], row["text"]) if part)),
        "config": UNRECORDED,
    }


def _incidents() -> QuerySet[Any]:
    # An incident is never edited: its report is its last change.
    return Incident.objects.annotate(changed_at=F("created_at")).values(
        "pk", "public_id", "norm__session_id", "norm__title", "place", "description", "changed_at"
    )


def _incident(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": row["norm__session_id"],
        "title": _text(f"{row['norm__title']}: {row['place']}"),
        "body": _text(row["description"]),
        "config": UNRECORDED,
    }


def _exercises() -> QuerySet[Any]:
    return Exercise.objects.annotate(changed_at=F("updated_at")).values(
        "pk", "public_id", "session_id", "title", "scenario", "objectives", "changed_at"
    )


def _exercise(row: dict[str, Any]) -> dict[str, Any]:
    # The players' brief only. Never an inject (the MSEL is the facilitator's, and an
    # inject's readers change as it is released and disclosed) nor a response.
    return {
        "session_id": row["session_id"],
        "title": _text(row["title"]),
        "body": _text(" ".join(part for part in (row["scenario"], row["objectives"]) if part)),
        "config": UNRECORDED,
    }


def _reports() -> QuerySet[Any]:
    # Published reports only; the entry carries its exercise's id (a report is reached
    # through its exercise: /api/v1/exercises/<id>/report/).
    return (
        AfterActionReport.objects.filter(published_at__isnull=False)
        .annotate(changed_at=F("updated_at"))
        .values(
            "pk", "exercise__public_id", "exercise__session_id", "exercise__title", "text",
            "changed_at",
        )
    )  # fmt: skip


def _report(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "public_id": row["exercise__public_id"],
        "session_id": row["exercise__session_id"],
        "title": _text(f"After-action report: {row['exercise__title']}"),
        "body": _text(row["text"]),
        "config": UNRECORDED,
    }


SOURCES = [
    Source(SearchEntry.Kind.STATEMENT, _statements, _statement),
    Source(SearchEntry.Kind.DOCUMENT, _documents, _document),
    Source(SearchEntry.Kind.ACTION_POINT, _action_points, _action_point),
    Source(SearchEntry.Kind.COMMUNIQUE, _communiques, _communique),
    # Items record no change time; there are few of them, so each run reads them all.
    Source(SearchEntry.Kind.AGENDA_ITEM, _agenda_items, _agenda_item, incremental=False),
    Source(SearchEntry.Kind.CRISIS, _crises, _crisis),
    Source(SearchEntry.Kind.THREAT, _threats, _threat),
    Source(SearchEntry.Kind.OFF_RAMP, _off_ramps, _off_ramp),
    Source(SearchEntry.Kind.NORM, _norms, _norm),
    Source(SearchEntry.Kind.INCIDENT, _incidents, _incident),
    Source(SearchEntry.Kind.EXERCISE, _exercises, _exercise),
    Source(SearchEntry.Kind.AAR, _reports, _report),
]
UPDATED_FIELDS = ["public_id", "session", "title", "body", "config", "vector", "source_updated_at"]


def _chunks(rows: QuerySet[Any]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _weighted(config: str | F) -> CombinedExpression:
    return SearchVector("title", config=config, weight="A") + SearchVector(
        "body", config=config, weight="B"
    )


def search_vector(configs: str) -> CombinedExpression:
    """The tsvector of an entry indexed in ``configs`` (space-separated).

    Each further configuration adds only the lexemes the ones before did not
    make (``ts_delete``), so a word both stem alike ("baltic") is counted once
    and ranks as it would in one configuration, not twice.
    """
    first, *others = configs.split()
    vector = _weighted(first)
    for config in others:
        added = Func(
            _weighted(config),
            Func(vector, function="tsvector_to_array"),
            function="ts_delete",
            output_field=SearchVectorField(),
        )
        vector = CombinedExpression(vector, "||", added, output_field=SearchVectorField())
    return vector


def _fill_vectors() -> None:
    # One set-based statement for every entry written without its vector.
    if connection.vendor != "postgresql":
        return
    SearchEntry.objects.filter(vector__isnull=True).update(
        vector=Case(
            When(config=UNRECORDED, then=search_vector(UNRECORDED)),
            default=_weighted(F("config")),
        )
    )


def _refresh_source(source: Source, *, since: datetime | None) -> int:
    rows = source.rows().order_by("pk")
    if since is not None and source.incremental:
        rows = rows.filter(changed_at__gte=since)
    written = 0
    for batch in _chunks(rows):
        entries = [
            SearchEntry(
                kind=source.kind,
                object_id=row["pk"],
                source_updated_at=row["changed_at"],
                vector=None,
                **{"public_id": row.get("public_id"), **source.entry(row)},
            )
            for row in batch
        ]
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=UPDATED_FIELDS,
        )
        written += len(entries)
    return written


def _drop_orphans(source: Source) -> None:
    SearchEntry.objects.filter(kind=source.kind).exclude(
        object_id__in=source.rows().values("pk")
    ).delete()


def search_index_refresh(*, full: bool = False) -> dict[str, int]:
    """Copy new and changed texts into the search index; returns entries written per kind.

    ``full`` rewrites every entry and drops those whose source is gone.
    """
    written: dict[str, int] = {}
    for source in SOURCES:
        with transaction.atomic():
            since = None
            if not full:
                latest = SearchEntry.objects.filter(kind=source.kind).aggregate(
                    latest=Max("source_updated_at")
                )["latest"]
                since = latest - OVERLAP if latest else None
            else:
                _drop_orphans(source)
            written[source.kind] = _refresh_source(source, since=since)
            _fill_vectors()
    return written
