"""The rotation planner: who holds a rotating seat, or the chair, each quarter.

Pure Python (no ORM): services hand it plain codes, names and quarters and
persist what it returns, so the rule can be tested on its own.

The rule:

- Candidates take their turns in a cycle through the alphabetical list of
  their names in the configured language (``en``, ``fr`` or ``ru``), compared
  by a collation key that ignores accents and case ("États-Unis" sorts with
  the E's, the Russian "yo" with "ye").
- Only candidates eligible in a quarter hold it; an ineligible one is passed
  over and waits for the next cycle.
- Nobody holds two consecutive quarters while enough other candidates are
  eligible; when they are not, previous holders fill the remaining places,
  still in cycle order.
- Each quarter has ``holders_per_term`` holders (1 or 2), fewer only when
  fewer candidates are eligible.
- Fixed assignments (swaps made by the secretariat) are kept as they are,
  and they count as the holder's turn: a party that sat out of turn is passed
  over the next time the cycle reaches it, and the party it replaced keeps
  its place at the head of the queue. Swapping two parties' turns therefore
  exchanges them without shifting anybody else.

History (the terms already held before the first planned quarter, planned or
swapped) is replayed through the same rule, so planning a window from any
quarter continues the cycle where the stored terms left it.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from consult.quarters import Quarter

LANGUAGES = ("en", "fr", "ru")

# Letters that Unicode decomposition leaves whole but dictionaries file as two.
_EXPANSIONS = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


@dataclass(frozen=True, slots=True)
class Names:
    """A candidate's short names; a missing translation falls back to English."""

    en: str
    fr: str = ""
    ru: str = ""

    def in_language(self, language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"Unknown rotation order {language!r}; choose en, fr or ru.")
        return getattr(self, language) or self.en


@dataclass(frozen=True, slots=True)
class HeldTerm:
    """A stored term: who held a place, and whether the secretariat put them there."""

    code: str
    fixed: bool = False


def collation_key(name: str) -> tuple[str, str]:
    """A sort key that orders names as a dictionary would: accents and case second."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_EXPANSIONS))
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    letters = "".join(char for char in base.casefold() if char.isalnum() or char == " ")
    return (letters, name)


def rotation_cycle(names: Mapping[str, Names], *, language: str) -> list[str]:
    """Every code, in the order turns are taken."""
    return sorted(names, key=lambda code: (collation_key(names[code].in_language(language)), code))


@dataclass
class _Cycle:
    order: list[str]
    last: str | None = None
    served_early: set[str] = field(default_factory=set)

    def walk(self) -> list[str]:
        """One full cycle of codes, starting after the last planned holder."""
        start = 0 if self.last is None else self.order.index(self.last) + 1
        return self.order[start:] + self.order[:start]

    def advance_to(self, code: str) -> None:
        """Move past ``code``; parties passed over on the way have used an early turn."""
        for passed in self.walk():
            if passed == code:
                break
            self.served_early.discard(passed)
        self.served_early.discard(code)
        self.last = code


def plan_rotation(
    *,
    quarters: Sequence[Quarter],
    names: Mapping[str, Names],
    eligible: Mapping[Quarter, Collection[str]],
    language: str = "en",
    holders_per_term: int = 1,
    history: Sequence[Sequence[HeldTerm]] = (),
    fixed: Mapping[Quarter, Mapping[int, str]] | None = None,
) -> dict[Quarter, dict[int, str]]:
    """Holders per quarter, as ``{quarter: {position: code}}`` with positions from 1.

    ``quarters`` must follow one another. ``names`` covers every code that
    appears anywhere (eligible, history, fixed). ``eligible[q]`` lists the codes
    that may hold ``q``. ``history`` gives the terms of the quarters before the
    first one, oldest first, each quarter's terms in position order. ``fixed``
    pins holders to positions (1..holders_per_term); they are returned as given.
    """
    fixed = fixed or {}
    if holders_per_term not in (1, 2):
        raise ValueError("A seat has 1 or 2 holders per term.")
    for previous, following in itertools.pairwise(quarters):
        if following != previous + 1:
            raise ValueError(f"{following} does not follow {previous}.")
    known = set(names)
    mentioned = {code for codes in eligible.values() for code in codes}
    mentioned |= {term.code for terms in history for term in terms}
    mentioned |= {code for pins in fixed.values() for code in pins.values()}
    if unknown := sorted(mentioned - known):
        raise ValueError(f"No names given for {', '.join(unknown)}.")
    for quarter, pins in fixed.items():
        if any(position not in range(1, holders_per_term + 1) for position in pins):
            raise ValueError(f"{quarter}: fixed positions run from 1 to {holders_per_term}.")
        if len(set(pins.values())) != len(pins):
            raise ValueError(f"{quarter}: a party holds one position only.")

    cycle = _Cycle(order=rotation_cycle(names, language=language))
    previous_holders: set[str] = set()
    for terms in history:
        # Replayed in the order planning applies them: pins first, then picks.
        cycle.served_early |= {term.code for term in terms if term.fixed}
        for term in terms:
            if not term.fixed:
                cycle.advance_to(term.code)
        previous_holders = {term.code for term in terms}

    plan: dict[Quarter, dict[int, str]] = {}
    for quarter in quarters:
        pins = dict(fixed.get(quarter, {}))
        cycle.served_early |= set(pins.values())
        open_positions = [p for p in range(1, holders_per_term + 1) if p not in pins]
        allowed = set(eligible.get(quarter, ())) - set(pins.values())
        walk = [code for code in cycle.walk() if code in allowed]
        # In turn first; then parties whose turn was used early by a swap; holding
        # twice in a row only when nobody else is left.
        in_turn = [c for c in walk if c not in previous_holders and c not in cycle.served_early]
        early = [c for c in walk if c not in previous_holders and c in cycle.served_early]
        again = [c for c in walk if c in previous_holders]
        picks = (in_turn + early + again)[: len(open_positions)]
        picks.sort(key=walk.index)
        for code in picks:
            cycle.advance_to(code)
        pins.update(zip(open_positions, picks, strict=False))
        plan[quarter] = dict(sorted(pins.items()))
        previous_holders = set(pins.values())
    return plan


def troika_quarters(quarter: Quarter) -> tuple[Quarter, Quarter, Quarter]:
    """The previous, current and next chair's quarters."""
    return (quarter - 1, quarter, quarter + 1)


def troika(chairs: Mapping[Quarter, str], quarter: Quarter) -> tuple[str | None, ...]:
    """The chairs of the previous, current and next quarter (None where none is planned)."""
    return tuple(chairs.get(q) for q in troika_quarters(quarter))
