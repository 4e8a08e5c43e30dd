"""consult.links: a route reversed once per script prefix gives the same path as reverse."""

import uuid

from django.urls import reverse, set_script_prefix

from consult.links import path_to


def test_path_to_is_reverse_for_every_id() -> None:
    for public_id in (uuid.uuid4(), uuid.uuid4()):
        assert path_to("agenda:session_detail", public_id) == reverse(
            "agenda:session_detail", kwargs={"public_id": public_id}
        )


def test_path_to_follows_the_script_prefix() -> None:
    public_id = uuid.uuid4()
    try:
        set_script_prefix("/consult/")
        assert path_to("agenda:session_detail", public_id) == (f"/consult/sessions/{public_id}/")
        assert path_to("agenda:session_detail", public_id) == reverse(
            "agenda:session_detail", kwargs={"public_id": public_id}
        )
    finally:
        set_script_prefix("/")
    assert path_to("agenda:session_detail", public_id) == f"/sessions/{public_id}/"
