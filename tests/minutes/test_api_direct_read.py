"""Statements are written by plain attribute reads (``DirectReadMixin``): the same JSON as DRF."""

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from agenda.services.documents import document_create
from minutes.api.serializers import STATEMENT_COLUMNS, StatementSerializer
from minutes.selectors import record as record_selectors
from minutes.services import review as review_services

pytestmark = pytest.mark.django_db


def drf_representation(serializer: serializers.Serializer, instance) -> dict:
    """What DRF's own machinery writes, nested summaries included."""
    data = serializers.Serializer.to_representation(serializer, instance)
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            child = field.child
            assert isinstance(child, serializers.Serializer)
            data[name] = [
                serializers.Serializer.to_representation(child, row)
                for row in getattr(instance, field.source_attrs[0])
            ]
        elif isinstance(field, serializers.Serializer) and data[name] is not None:
            value = instance
            for attribute in field.source_attrs:
                value = getattr(value, attribute)
            data[name] = serializers.Serializer.to_representation(field, value)
    return data


@pytest.mark.parametrize("reader", ["us", "sec"])
def test_direct_reads_write_what_drf_writes(world, say, minutes, reader):
    """Chatham House display fields, papers, links and times come out identical."""
    paper = document_create(
        user=world.user("sec"),
        session=world.session,
        title="Background on airspace",
        distribution="participants",
        body_html="<p>Text.</p>",
    )
    say("USA", 1, "Restraint.", documents=[paper])
    say("RUS", 2, "Off the record.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    request = Request(APIRequestFactory().get("/api/v1/statements/"))
    rows = list(record_selectors.statement_list(world.user(reader)).only(*STATEMENT_COLUMNS))
    serializer = StatementSerializer(context={"request": request})
    assert len(rows) == 2
    for row in rows:
        assert serializer.to_representation(row) == drf_representation(serializer, row)
    [cited] = [data for data in map(serializer.to_representation, rows) if data["documents"]]
    assert cited["documents"][0]["title"] == paper.title
