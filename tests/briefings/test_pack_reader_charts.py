"""The threat picture in the browser reader of the pack: the charts the PDF carries inline
are shown as images of their SVG, since the pages' Content-Security-Policy refuses the
inline styles the drawn SVG carries (a blocked style leaves the chart unstyled)."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.briefings.packs import Table, build_packs
from tests.briefings.test_pack_threat_picture import COLLISION, _assess


@pytest.mark.django_db
def test_the_reader_shows_the_charts_as_images(table: Table) -> None:
    _assess(table)
    build_packs(table.session, only=[table.user("USA")])
    client = Client()
    client.force_login(table.user("USA"))
    url = reverse("briefings:pack_detail", kwargs={"public_id": table.session.public_id})
    page = client.get(url).content.decode()
    assert "<svg" not in page
    images = re.findall(r'<img class="chart__image" src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(images) == 3  # the risk matrix, the divergence and the trend
    charts = [base64.b64decode(image).decode() for image in images]
    assert all(chart.startswith("<svg") for chart in charts)
    assert COLLISION in page  # in the tables beside the charts
    assert 'alt="Risk matrix' in page
