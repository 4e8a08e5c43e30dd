"""Quarters as values: ``2027Q1``, shared by the planner and the models. Pure Python but
for the refusal of text that is no quarter, worded in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

QUARTER_RE = re.compile(r"^(?P<year>\d{4})Q(?P<q>[1-4])$")


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER_RE.match(text.strip().upper())
        if not match:
            raise ValueError(
                _("%(value)s is not a quarter; write it as 2027Q1.") % {"value": repr(text)}
            )
        return cls(int(match["year"]), int(match["q"]))

    @classmethod
    def of(cls, day: date | datetime) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(datetime.now(UTC))

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    def __add__(self, quarters: int) -> Quarter:
        index = self.year * 4 + (self.q - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    def __sub__(self, quarters: int) -> Quarter:
        return self + (-quarters)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def last_day(self) -> date:
        following = (self + 1).first_day
        return date.fromordinal(following.toordinal() - 1)

    def following(self, count: int) -> list[Quarter]:
        return [self + i for i in range(count)]
