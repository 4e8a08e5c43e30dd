"""Full-text search over what the caller may read, ranked, with snippets for one page.

Hits come from the search copy (analytics.models.SearchEntry) and are kept
only if the source's own selector returns the source row for this caller:
the access rule (docs/architecture.md, "The confidentiality rule"), drafts
hidden from delegations, and, for
statements, the Chatham House display fields. On PostgreSQL the match is the
stored tsvector (indexed in the text's configurations, see SearchEntry) against
the query read in the English, Russian and French configurations, ranked with
``ts_rank`` in the reading that matches best; snippets (``ts_headline``, in
each of the entry's configurations, the one marking more words kept) are
computed for the returned page only. On SQLite every word must appear in the
title or the body, newest first, with the same result shape.
"""

from __future__ import annotations

import html
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Greatest, NullIf
from django.utils import translation

from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from analytics.models import SearchEntry
from consult.actors import Actor
from consult.parallel import title_columns, translation_columns, version_for
from crises.selectors.assessments import threat_list
from crises.selectors.crises import crisis_list
from crises.selectors.exercises import exercise_list, report_list
from crises.selectors.registers import incident_list, norm_list, off_ramp_list
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import action_point_list, statement_list

QUERY_CONFIGS = ("english", "russian", "french")
# The most configurations one entry is indexed in (SearchEntry.config).
HEADLINE_CONFIGS = max(
    len(configs.split())
    for configs in (*SearchEntry.LANGUAGE_CONFIGS.values(), SearchEntry.UNRECORDED)
)
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_CHARS = 240
# The key under which ``_details`` gives a hit's title in the reader's language (papers).
SERVED_TITLE = "served_title"
Kind = SearchEntry.Kind

# The readable rows of each kind, as the owning app's selector returns them.
READABLE: dict[str, Callable[[Actor], QuerySet[Any]]] = {
    Kind.STATEMENT: lambda user: statement_list(user),
    Kind.DOCUMENT: lambda user: document_list(user=user),
    Kind.ACTION_POINT: lambda user: action_point_list(user),
    Kind.COMMUNIQUE: lambda user: communique_list(user),
    Kind.AGENDA_ITEM: lambda user: agenda_item_list(user=user),
    Kind.CRISIS: lambda user: crisis_list(user=user),
    Kind.THREAT: lambda user: threat_list(user=user),
    Kind.OFF_RAMP: lambda user: off_ramp_list(user=user),
    Kind.NORM: lambda user: norm_list(user=user),
    Kind.INCIDENT: lambda user: incident_list(user=user),
    # A player reads the exercises they play in (never a draft); a report once published.
    Kind.EXERCISE: lambda user: exercise_list(user=user),
    Kind.AAR: lambda user: report_list(user=user).filter(published_at__isnull=False),
}


@dataclass(slots=True)
class Hit:
    kind: str
    public_id: UUID
    title: str
    snippet: str
    rank: float
    session: dict[str, Any] | None
    details: dict[str, Any] = field(default_factory=dict)


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _queries(q: str) -> list[SearchQuery]:
    return [SearchQuery(q, search_type="websearch", config=config) for config in QUERY_CONFIGS]


def _query(q: str) -> SearchQuery:
    """``q`` read in every configuration: a text matching any reading is a hit."""
    first, *others = _queries(q)
    return reduce(operator.or_, others, first)


def _rank(q: str) -> Greatest:
    """How well a text matches ``q`` read in the language it matches best.

    Not ``ts_rank`` of the OR'ed query, which averages over the query's distinct
    lexemes: a text indexed in two configurations would then match more of the
    readings (the French stem "fisher" beside the English "fisheri") and
    outrank a paper saying the same words in its one language.
    """
    return Greatest(*(SearchRank(F("vector"), query) for query in _queries(q)))


def _words(q: str) -> list[str]:
    return [word for word in re.split(r"\W+", q) if word]


def search_entries(
    user: Actor,
    *,
    q: str,
    kinds: Sequence[str] = (),
    quarter: str | None = None,
    session: UUID | None = None,
) -> QuerySet[SearchEntry]:
    """Entries matching ``q`` whose source ``user`` may read, best first (``rank`` annotated)."""
    readable = Q(pk__in=[])
    for kind in kinds or Kind.values:
        readable |= Q(kind=kind, object_id__in=READABLE[kind](user).values("pk"))
    entries = SearchEntry.objects.filter(readable)
    if quarter:
        entries = entries.filter(session__quarter=quarter)
    if session:
        entries = entries.filter(session__public_id=session)
    if uses_full_text():
        return (
            entries.filter(vector=_query(q))
            .annotate(rank=_rank(q))
            .order_by("-rank", "-source_updated_at", "-pk")
        )
    for word in _words(q):
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return entries.annotate(rank=Value(0.0, output_field=FloatField())).order_by(
        "-source_updated_at", "-pk"
    )


def _marked(text: str) -> str:
    return html.escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _plain_snippet(text: str, words: list[str]) -> str:
    lowered = text.lower()
    found = [lowered.find(word.lower()) for word in words]
    start = min((index for index in found if index >= 0), default=0)
    begin = max(0, start - SNIPPET_CHARS // 3)
    window = text[begin : begin + SNIPPET_CHARS]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = (
        pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", window) if words else window
    )
    prefix = "… " if begin else ""
    suffix = " …" if begin + SNIPPET_CHARS < len(text) else ""
    return prefix + _marked(marked) + suffix


def _snippets(entries: list[SearchEntry], q: str) -> dict[int, str]:
    """Highlighted extracts for one page of entries (one query on PostgreSQL)."""
    if not entries:
        return {}
    if not uses_full_text():
        words = _words(q)
        return {e.pk: _plain_snippet(e.body or e.title, words) for e in entries}
    text = Case(When(body="", then=F("title")), default=F("body"), output_field=TextField())
    query = _query(q)
    # An entry indexed in several configurations gets one headline in each (the
    # second is NULL for an entry in one); the one marking more words is shown.
    headlines = SearchEntry.objects.filter(pk__in=[e.pk for e in entries]).annotate(
        **{f"headline_{n}": _headline(text, query, n) for n in range(HEADLINE_CONFIGS)}
    )
    return {
        row[0]: _marked(max(filter(None, row[1:]), key=_marks, default=""))
        for row in headlines.values_list("pk", *(f"headline_{n}" for n in range(HEADLINE_CONFIGS)))
    }


def _marks(headline: str) -> int:
    return headline.count(MARK_START)


def _headline(text: Case, query: SearchQuery, n: int) -> SearchHeadline:
    """``text``'s headline in the entry's ``n``-th configuration (from 0), NULL if it
    has fewer (ts_headline is strict: a NULL configuration gives a NULL headline)."""
    config = Func(F("config"), Value(" "), Value(n + 1), function="split_part")
    return SearchHeadline(
        text,
        query,
        config=NullIf(config, Value("")),
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=35,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _details(user: Actor, kind: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    """What each hit shows beyond its text, read through the source's selector."""
    rows = READABLE[kind](user).filter(pk__in=ids)
    if kind == Kind.STATEMENT:
        # The item's title in the reader's language, from the item's own columns.
        item_columns = title_columns(AGENDA_ITEM_PARALLEL, "item__")
        language = translation.get_language()
        statements = {}
        for row in rows.values(
            "pk", "display_party_code", "display_party", "display_speaker", "item__public_id",
            *item_columns,
        ):  # fmt: skip
            item = SimpleNamespace(**{name[6:]: row[name] for name in item_columns})
            title = version_for(item, AGENDA_ITEM_PARALLEL.title_only(), language)
            statements[row["pk"]] = {
                "party": {"code": row["display_party_code"] or None, "name": row["display_party"]},
                "speaker": row["display_speaker"],
                "item": {
                    "id": row["item__public_id"],
                    "title": title["title"],
                    "title_language": title.language,
                },
            }
        return statements
    if kind == Kind.DOCUMENT:
        # The title in the reader's language (consult/parallel.py), from the row's own
        # columns: the hit's title becomes it (``SERVED_TITLE``, taken out of the details).
        language = translation.get_language()
        found = {}
        for row in rows.values(
            "pk", "symbol", "language", "owner__code", "title",
            *translation_columns(DOCUMENT_PARALLEL),
        ):  # fmt: skip
            title = version_for(SimpleNamespace(**row), DOCUMENT_PARALLEL, language)
            found[row["pk"]] = {
                "symbol": row["symbol"],
                "language": row["language"],
                "owner": row["owner__code"],
                "title_language": title.language,
                "title_state": title.state,
                # As the index titles a paper: its symbol, then its title.
                SERVED_TITLE: f"{row['symbol']} {title['title']}",
            }
        return found
    if kind == Kind.ACTION_POINT:
        return {
            row["pk"]: {"status": row["status"], "owner": row["owner__code"]}
            for row in rows.values("pk", "status", "owner__code")
        }
    if kind == Kind.COMMUNIQUE:
        return {
            row["pk"]: {"communique_kind": row["kind"], "status": row["status"]}
            for row in rows.values("pk", "kind", "status")
        }
    if kind == Kind.CRISIS:
        return {
            row["pk"]: {"status": row["status"], "region": row["region"]}
            for row in rows.values("pk", "status", "region")
        }
    if kind == Kind.THREAT:
        # Not the threat's crisis: a reader of the threat may not read its crisis.
        return {
            row["pk"]: {"region": row["region"], "retired": row["retired_at"] is not None}
            for row in rows.values("pk", "region", "retired_at")
        }
    if kind == Kind.OFF_RAMP:
        return {
            row["pk"]: {"status": row["status"], "crisis": row["crisis__public_id"]}
            for row in rows.values("pk", "status", "crisis__public_id")
        }
    if kind == Kind.NORM:
        return {row["pk"]: {"source": row["source"]} for row in rows.values("pk", "source")}
    if kind == Kind.INCIDENT:
        return {
            row["pk"]: {"place": row["place"], "occurred_on": row["occurred_on"]}
            for row in rows.values("pk", "place", "occurred_on")
        }
    if kind == Kind.EXERCISE:
        return {
            row["pk"]: {"status": row["status"], "ended_at": row["ended_at"]}
            for row in rows.values("pk", "status", "ended_at")
        }
    if kind == Kind.AAR:
        return {
            row["pk"]: {"published_at": row["published_at"]}
            for row in rows.values("pk", "published_at")
        }
    return {
        row["pk"]: {"order": row["order"], "chatham_house": row["chatham_house"]}
        for row in rows.values("pk", "order", "chatham_house")
    }


def search_page(
    user: Actor, *, q: str, offset: int, limit: int, **filters: Any
) -> tuple[list[Hit], bool]:
    """One page of hits and whether another follows.

    Queries: the ranked page, its snippets, and one per kind present on the
    page; none of them grows with the number of matches or of grants.
    """
    page = list(
        search_entries(user, q=q, **filters).select_related("session")[offset : offset + limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    snippets = _snippets(page, q)
    details: dict[tuple[str, int], dict[str, Any]] = {}
    titles: dict[tuple[str, int], str] = {}
    for kind in {entry.kind for entry in page}:
        ids = [entry.object_id for entry in page if entry.kind == kind]
        for object_id, values in _details(user, kind, ids).items():
            if SERVED_TITLE in values:
                titles[(kind, object_id)] = values.pop(SERVED_TITLE)
            details[(kind, object_id)] = values
    hits = [
        Hit(
            kind=entry.kind,
            public_id=entry.public_id,
            title=titles.get((entry.kind, entry.object_id), entry.title),
            snippet=snippets.get(entry.pk, ""),
            rank=float(entry.rank),  # type: ignore[attr-defined]
            session={
                "id": entry.session.public_id,
                "number": entry.session.number,
                "quarter": entry.session.quarter,
            }
            if entry.session is not None
            else None,
            details=details.get((entry.kind, entry.object_id), {}),
        )
        for entry in page
        # A source that became unreadable since the page's first query is left out.
        if (entry.kind, entry.object_id) in details
    ]
    return hits, more
