"""``scale_data_seed``: the whole scale data set, step by step, in one transaction."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from django.db import transaction

from agenda.models import Session
from analytics.scale.record import papers_seed, record_seed
from analytics.scale.rows import SEAT_HOLDERS, ScaleReport
from analytics.scale.table import grants_seed, people_seed, sessions_seed
from consult.errors import ApplicationError


@transaction.atomic
def scale_data_seed(
    *,
    years: int = 10,
    parties: int = 200,
    items_per_session: int = 16,
    statements: int = 100_000,
    documents: int = 100_000,
    grants: int = 100_000,
    seed: int = 2026,
) -> ScaleReport:
    """Fill an empty database with ``years`` of sessions and the given numbers of rows."""
    if Session.objects.exists():
        raise ApplicationError("seed_scale fills an empty database; this one has sessions.")
    if parties < len(SEAT_HOLDERS) or years < 1 or items_per_session < 1:
        raise ApplicationError("Ask for at least one year, one item and four parties.")
    rng = random.Random(seed)  # noqa: S311 (repeatable benchmark data, not secrets)
    report = ScaleReport()
    scale = people_seed(rng=rng, now=datetime.now(UTC), years=years, parties=parties, report=report)
    sessions_seed(scale, years=years, items_per_session=items_per_session)
    grants_seed(scale, grants=grants)
    record_seed(scale, statements=statements, items_per_session=items_per_session)
    papers_seed(scale, documents=documents)
    return report
