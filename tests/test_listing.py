"""A list page counts its rows only as far as ten pages ahead, so its cost does not
grow with the archive; the pager says when there are more than it counted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.test import RequestFactory

from consult.listing import COUNT_AHEAD_PAGES, CountAheadPaginator, page_of

pytestmark = pytest.mark.django_db

ROWS = 125
PER_PAGE = 10


@pytest.fixture
def groups():
    Group.objects.bulk_create(Group(name=f"group {number:03}") for number in range(ROWS))
    return Group.objects.order_by("name")


def test_rows_are_counted_ten_pages_past_the_one_asked(groups, django_assert_num_queries):
    first = CountAheadPaginator(groups, PER_PAGE, number=1)
    with django_assert_num_queries(1):
        assert first.count == (1 + COUNT_AHEAD_PAGES) * PER_PAGE
    assert first.more
    assert first.num_pages == 1 + COUNT_AHEAD_PAGES
    # Nearer the end, the count reaches it and is exact.
    near_the_end = CountAheadPaginator(groups, PER_PAGE, number=3)
    assert near_the_end.count == ROWS
    assert not near_the_end.more
    assert [group.name for group in near_the_end.page(13).object_list] == [
        f"group {number:03}" for number in range(120, ROWS)
    ]


def test_a_short_list_is_counted_exactly(groups):
    paginator = CountAheadPaginator(groups[:7], PER_PAGE, number=1)
    assert paginator.count == 7
    assert not paginator.more


def test_the_pager_says_more_than_and_offers_no_last_page(groups):
    request = RequestFactory().get("/list/", {"q": "x"})
    listing = page_of(request, groups, per_page=PER_PAGE)
    html = render_to_string("_pager.html", {"listing": listing})
    assert "1\u201310 of more than 110, page 1 of more than 11" in html
    assert "q=x&amp;page=2" in html
    assert ">Last<" not in html
    last = page_of(RequestFactory().get("/list/", {"page": "11"}), groups, per_page=PER_PAGE)
    html = render_to_string("_pager.html", {"listing": last})
    assert "101\u2013110 of 125, page 11 of 13" in html
    assert 'page=13">Last<' in html
