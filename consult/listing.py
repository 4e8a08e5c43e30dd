"""What every list page shares: its rows narrowed by the list's FilterSet (the one
the API applies, so one parameter means one thing on both), one page of them, a
filter form whose choices come from selectors, and page links that keep the filters.

A refused filter or page number answers 400 with the reason on the form and no
rows, never a 500 nor a quietly different page.

Rows are counted only as far as ten pages past the one shown ("1-50 of more than
550"): a page then costs the same in the body's tenth year as in its first, where
an exact count would read every row of the archive on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from consult.errors import ApplicationError
from consult.widgets import PlainSelect

PAGE_SIZE = 50
PAGE_PARAM = "page"
COUNT_AHEAD_PAGES = 10

Choices = Iterable[tuple[Any, str]]


@dataclass(frozen=True)
class Listing:
    """One page of a list: ``page.object_list`` are its rows; ``query`` the filters
    as given, without the page number, for the pager's links."""

    form: forms.Form
    page: Page[Any]
    query: str
    status: int
    param: str = PAGE_PARAM

    @property
    def rows(self) -> Any:
        return self.page.object_list


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:  # Django's Paginator takes no type arguments at run time.
    _Paginator = Paginator


class CountAheadPaginator(_Paginator):
    """A paginator that counts at most ``COUNT_AHEAD_PAGES`` pages past page ``number``;
    ``more`` says whether rows go on beyond what was counted."""

    def __init__(self, object_list: QuerySet[Any] | Sequence[Any], per_page: int, *, number: int):
        super().__init__(object_list, per_page)
        self.limit = (max(number, 1) + COUNT_AHEAD_PAGES) * per_page
        self.more = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            if not rows.query.is_sliced:
                # Any limit + 1 rows tell whether there are more: no ORDER BY, so the
                # database stops reading there.
                rows = rows.order_by()[: self.limit + 1]
            counted = rows.count()
        else:
            counted = len(rows)
        self.more = counted > self.limit
        return min(counted, self.limit)


def _page_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 1


def page_of(
    request: HttpRequest,
    queryset: QuerySet[Any] | Sequence[Any],
    *,
    form: forms.Form | None = None,
    per_page: int = PAGE_SIZE,
    param: str = PAGE_PARAM,
) -> Listing:
    """One page of ``queryset`` (already ordered) by the number in the request's ``param``.

    A number that is not a page of the list is shown on ``form`` (a bare form when
    none is given) and answers 400 with no rows. Counting the rows (as far as
    ``COUNT_AHEAD_PAGES`` pages ahead) is one query, the page another, whatever the
    list's length.
    """
    form = form if form is not None else forms.Form(request.GET or None)
    wanted = request.GET.get(param, "1")
    paginator = CountAheadPaginator(queryset, per_page, number=_page_number(wanted))
    status = 200
    try:
        page = paginator.page(wanted)
    except InvalidPage:
        pages = paginator.num_pages
        form.add_error(
            None,
            _("There is no page %(wanted)s of this list: choose 1 to %(pages)s.")
            % {"wanted": wanted, "pages": pages},
        )
        page = Paginator(queryset[:0], per_page).page(1)
        status = 400
    query = request.GET.copy()
    query.pop(param, None)
    return Listing(form=form, page=page, query=query.urlencode(), status=status, param=param)


def filtered_page(
    request: HttpRequest,
    filterset: django_filters.FilterSet,
    *,
    shown: Sequence[str],
    choices: Mapping[str, Choices] | None = None,
    per_page: int = PAGE_SIZE,
    rows: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
) -> Listing:
    """One page of a list selector's FilterSet (bound to the request's GET), or of
    ``rows`` of its filtered queryset when given.

    The form shows the ``shown`` filters; those in ``choices`` become drop-downs
    with an "any" first. Refused filters answer 400 with their reasons and no rows.
    """
    form = filterset.form
    for name in list(form.fields):
        if name not in shown:
            # Still applied when given (page links keep them), just not offered.
            form.fields[name].widget = forms.HiddenInput()
    for name, options in (choices or {}).items():
        field = form.fields[name]
        field.widget = PlainSelect(choices=[("", _("any")), *[(str(v), t) for v, t in options]])
    if filterset.is_bound and not _valid(filterset):
        query = request.GET.copy()
        query.pop(PAGE_PARAM, None)
        empty = Paginator(filterset.queryset.none(), per_page).page(1)
        return Listing(form=form, page=empty, query=query.urlencode(), status=400)
    queryset = filterset.qs if rows is None else rows(filterset.qs)
    return page_of(request, queryset, form=form, per_page=per_page)


def _valid(filterset: django_filters.FilterSet) -> bool:
    """Whether the filters stand; a rule across two of them goes on the form as its error."""
    try:
        return bool(filterset.is_valid())
    except ApplicationError as refusal:
        form = filterset.form
        for name, messages in refusal.fields.items():
            form.add_error(name if name in form.fields else None, messages)
        if not refusal.fields:
            form.add_error(None, refusal.message)
        return False


def bound(request: HttpRequest, **defaults: str) -> QueryDict:
    """The request's filters, with ``defaults`` for those it does not give."""
    data = request.GET.copy()
    for name, value in defaults.items():
        data.setdefault(name, value)
    return data
