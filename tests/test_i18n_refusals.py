"""Every refusal a user reads is marked for translation.

A service's ``ApplicationError``, ``PermissionDenied`` or ``ValidationError``
reaches people (a form error, an API ``detail``, a flash message) in their
language only when its message and its ``fields`` messages go through
``gettext``. This reads the sources' syntax trees and names every refusal
raised with a bare string or an f-string: such a message can never be in a
catalog, so ``test_i18n_catalogs`` cannot see it lag.

Operators' errors (keys, the scale seeder, management commands) speak English
by design, as audit summaries and logs do.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "agenda",
    "analytics",
    "audit",
    "briefings",
    "consult",
    "crises",
    "members",
    "minutes",
    "notices",
)
REFUSALS = {"ApplicationError", "PermissionDenied", "ValidationError"}
PLACEHOLDERS = re.compile(r"%\(\w+\)s")
# Read by operators, not by the body's users.
OPERATORS = {"minutes/keys.py", "analytics/scale/seed.py"}


def _sources() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/management/" in relative:
                continue
            if relative in OPERATORS:
                continue
            yield path


def _name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _untranslated(node: ast.expr) -> bool:
    """A literal string or f-string, also as the left side of ``%`` or ``+``."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        # A placeholder alone ("%(reason)s", a reason translated where it was worded) has
        # no words of its own to translate.
        return isinstance(node.value, str) and bool(PLACEHOLDERS.sub("", node.value).strip())
    if isinstance(node, ast.BinOp):
        return _untranslated(node.left) or (
            isinstance(node.op, ast.Add) and _untranslated(node.right)
        )
    return False


def _messages(call: ast.Call) -> Iterator[ast.expr]:
    """The refusal's message and every message of its ``fields``."""
    if call.args:
        yield call.args[0]
    for keyword in call.keywords:
        if keyword.arg in ("message", "detail"):
            yield keyword.value
        if keyword.arg == "fields" and isinstance(keyword.value, ast.Dict):
            for value in keyword.value.values:
                if isinstance(value, ast.List):
                    yield from value.elts


def untranslated_refusals() -> list[str]:
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) in REFUSALS:
                for message in _messages(node):
                    if _untranslated(message):
                        where = f"{path.relative_to(ROOT).as_posix()}:{message.lineno}"
                        found.append(f"{where}: {ast.unparse(message)[:80]}")
    return found


def test_every_refusal_is_marked_for_translation() -> None:
    assert untranslated_refusals() == []


def test_the_check_sees_a_bare_refusal(tmp_path: Path) -> None:
    """The check itself: the three shapes of an untranslated message are caught, the
    translated ones are not."""
    source = """
raise ApplicationError("Name the venue.", fields={"venue": ["Required."]})
raise ApplicationError(f"{number} is past.")
raise PermissionDenied("Only the secretariat %s." % doing)
raise ApplicationError(_("Name the venue."), fields={"venue": [_("Required.")]})
raise PermissionDenied(_("Only %(who)s.") % {"who": who})
"""
    tree = ast.parse(source)
    flagged = [
        ast.unparse(message)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node) in REFUSALS
        for message in _messages(node)
        if _untranslated(message)
    ]
    assert flagged == [
        "'Name the venue.'",
        "'Required.'",
        "f'{number} is past.'",
        "'Only the secretariat %s.' % doing",
    ]
