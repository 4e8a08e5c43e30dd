"""Does an answer the tests saw agree with what ``/api/schema/`` documents?

Tests of a write's success path call ``assert_documented(response)``: a code the
API answers but the schema does not list (201 documented as 200) fails there.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator


@cache
def _operations() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$"), item)
        for path, item in schema["paths"].items()
    ]


def documented_statuses(method: str, path: str) -> set[str]:
    """The status codes the schema lists for ``method`` on the concrete ``path``."""
    for pattern, item in _operations():
        if pattern.match(path) and method.lower() in item:
            return set(item[method.lower()]["responses"])
    raise AssertionError(f"{method} {path} is not in the schema")


def assert_documented(response: Any) -> None:
    method, path = response.request["REQUEST_METHOD"], response.request["PATH_INFO"]
    documented = documented_statuses(method, path)
    assert str(response.status_code) in documented, (
        f"{method} {path} answered {response.status_code}; the schema lists {sorted(documented)}"
    )
