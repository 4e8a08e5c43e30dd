"""Streaming CSV and JSON Lines exports of any list, memory flat in the number of rows.

An ``Export`` names a selector (the access rule and the Chatham House
display fields come with it), the columns as ``values()`` paths, and a
stable order. Rows are read with a server-side cursor in chunks
(``iterator(chunk_size=...)``) and written as they arrive, so a 100k-row
export holds one chunk in memory, never the result.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from consult.actors import Actor

CHUNK_SIZE = 2000
# CSV cells opening with these characters are formulas to spreadsheet software;
# a leading apostrophe keeps them text (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    path: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Export:
    resource: str
    rows: Callable[[Actor], QuerySet[Any]]
    columns: Sequence[Column]
    order_by: Sequence[str]
    description: str = ""

    def queryset(self, filtered: QuerySet[Any]) -> QuerySet[Any]:
        """``filtered`` reduced to the columns, in a stable order, prefetching nothing."""
        return (
            filtered.prefetch_related(None)
            .order_by(*self.order_by)
            .values(*(column.path for column in self.columns))
        )


class Format:
    CSV = "csv"
    JSONL = "jsonl"
    CONTENT_TYPES = {CSV: "text/csv; charset=utf-8", JSONL: "application/x-ndjson"}


def _isoformat(value: dt.datetime) -> str:
    text = value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _isoformat(value)
    if isinstance(value, (dt.date, UUID, int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Line:
    """A file-like sink for ``csv.writer`` that hands back what it was given."""

    def write(self, value: str) -> str:
        return value


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def stream_csv(rows: Iterable[dict[str, Any]], columns: Sequence[Column]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield writer.writerow([column.name for column in columns]).encode()
    paths = [column.path for column in columns]
    for batch in _batches(rows, 500):
        yield "".join(
            writer.writerow([csv_cell(row[path]) for path in paths]) for row in batch
        ).encode()


def stream_jsonl(rows: Iterable[dict[str, Any]], columns: Sequence[Column]) -> Iterator[bytes]:
    pairs = [(column.name, column.path) for column in columns]
    option = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC | orjson.OPT_APPEND_NEWLINE
    for batch in _batches(rows, 500):
        yield b"".join(
            orjson.dumps({name: row[path] for name, path in pairs}, option=option, default=str)
            for row in batch
        )


def export_response(export: Export, filtered: QuerySet[Any], fmt: str) -> StreamingHttpResponse:
    rows = export.queryset(filtered).iterator(chunk_size=CHUNK_SIZE)
    stream = stream_csv if fmt == Format.CSV else stream_jsonl
    response = StreamingHttpResponse(
        stream(rows, export.columns), content_type=Format.CONTENT_TYPES[fmt]
    )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="{export.resource}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
