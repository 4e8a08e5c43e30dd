"""The API tests' shared moves: a client per user, analysts, a delegation's scores as posted,
and a round scored by the four seat-holders and released."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from members.services.users import analyst_affiliation_set
from tests.crises.conftest import CrisisWorld
from tests.factories import UserFactory

SCORES = "/api/v1/scores/"


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def analyst(*, of: Any | None = None, secretariat: bool = False) -> Any:
    """An analyst of the secretariat, of a delegation, or of no one."""
    user = UserFactory(username=f"analyst-{'sec' if secretariat else of or 'none'}")
    user.groups.add(Group.objects.get_or_create(name="analysts")[0])
    if secretariat or of is not None:
        analyst_affiliation_set(user=user, delegation=of)
    return user


def payload(
    cw: CrisisWorld,
    values: list[tuple[Any, Any]] | dict[int, tuple[Any, Any]],
    *,
    author: str = "us",
    **extra: Any,
) -> dict[str, Any]:
    """Scores of ``cw.threats`` in order (a list), or by index (a dict)."""
    chosen = values if isinstance(values, dict) else dict(enumerate(values))
    return {
        "assessment": str(cw.assessment.public_id),
        "scores": [
            {
                "threat": str(cw.threats[index].public_id),
                "likelihood": likelihood,
                "impact": impact,
                "trend": "rising",
                "confidence": "high",
                "rationale": f"{author} zanzibarite on {cw.threats[index].title}",
            }
            for index, (likelihood, impact) in chosen.items()
        ],
        **extra,
    }


# Hand-computed (cw.threats: Mid-air collision, Cable sabotage, Jamming of civil aviation):
# Mid-air likelihood 1,2,4,5: median 3, q1 1.75, q3 4.25, IQR 2.5; impact 2,3,3,5: median 3,
# q1 2.75, q3 3.5, IQR 0.75; spread 2.5, not converged (threshold 1.0).
# Cable all (2, 2): median 2, IQR 0, converged.
# Jamming likelihood 3,3,3,4: median 3, q1 3, q3 3.25, IQR 0.25; impact 3,4,3,4 → 3,3,4,4:
# median 3.5, q1 3, q3 4, IQR 1; spread 1.0, not converged (not below 1.0).
ROUND_ONE = {
    "us": [(1, 2), (2, 2), (3, 3)],
    "ru": [(2, 3), (2, 2), (3, 4)],
    "nato": [(4, 3), (2, 2), (3, 3)],
    "fr": [(5, 5), (2, 2), (4, 4)],
}


def score_all(cw: CrisisWorld, table: dict[str, list[tuple[int, int]]] = ROUND_ONE) -> None:
    for name, values in table.items():
        body = payload(cw, values, author=name)
        response = api(cw.user(name)).post(SCORES, body, format="json")
        assert response.status_code == 201, response.content


def release(cw: CrisisWorld) -> None:
    url = f"/api/v1/assessments/{cw.assessment.public_id}/release/"
    response = api(cw.sec).post(url)
    assert response.status_code == 200, response.content
