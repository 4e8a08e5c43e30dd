"""``{% crises_touching session as touching %}``: the crisis dossiers a session's page
shows, for the session and for each of its items (``touching|of_item:item``).
``{{ svg|svg_image }}``: a chart of ``crises.charts`` as the page shows it.
``{{ crisis|reading }}``: the version of a dossier, norm, off-ramp, exercise, inject,
after-action report or threat a reader gets
(consult/parallel.py) in the active language; ``{% page_version norm as version %}`` on
the text's own page, where ``?lang=`` may name another one, and
``{{ version|language_links }}`` its current versions, each at its own address, for
``_parallel_languages.html``.

The agenda's template loads it (``{% load crises %}``), so agenda's Python never
imports crises, the app above it. One query for the whole page, through
``crises.selectors.crises.crises_touching``.
"""

from __future__ import annotations

import base64
import re
from html import unescape
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agenda.models import AgendaItem, Session
from consult import parallel
from crises.models import AfterActionReport, Crisis, Exercise, Inject, Norm, OffRamp, Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.models.dossiers import CRISIS_PARALLEL
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL, INJECT_PARALLEL
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.crises import CrisesTouching, crises_touching

register = template.Library()


@register.simple_tag(takes_context=True, name="crises_touching")
def crises_touching_tag(context: template.Context, session: Session) -> CrisesTouching | None:
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return crises_touching(user=user, session=session)


@register.filter
def of_item(touching: CrisesTouching | None, item: AgendaItem) -> list[Crisis]:
    return touching.of_item(item) if touching is not None else []


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.DOTALL)


@register.filter
def svg_image(svg: str) -> SafeString | str:
    """The chart as an image of itself (a ``data:`` URL), its ``<title>`` as the text
    alternative. Drawn SVG styles its marks with ``style`` attributes and a ``<style>``
    element, which the pages' Content-Security-Policy refuses inline (styles need the
    nonce); inside an image they are the image's own. The same SVG goes inline into the
    briefing pack and out at the API's chart URLs."""
    if not svg:
        return ""
    title = _TITLE.search(svg)
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return format_html(
        '<img class="chart__image" src="data:image/svg+xml;base64,{}" alt="{}">',
        encoded,
        unescape(title[1]) if title else _("Chart"),
    )


type ToolkitText = AfterActionReport | Crisis | Exercise | Inject | Norm | OffRamp | Threat

# Where each of the toolkit's parallel texts keeps its versions.
PARALLEL_SPECS: dict[type[Any], parallel.ParallelFields] = {
    Crisis: CRISIS_PARALLEL,
    Norm: NORM_PARALLEL,
    OffRamp: OFF_RAMP_PARALLEL,
    Exercise: EXERCISE_PARALLEL,
    Inject: INJECT_PARALLEL,
    AfterActionReport: AAR_PARALLEL,
    Threat: THREAT_PARALLEL,
}


@register.filter
def reading(text: ToolkitText, language: str = "") -> parallel.Version:
    """The version of ``text`` the reader gets: in ``language`` (a text page's ``?lang=``)
    when it names a working language, else in the active one; the authoritative text, with
    a note saying why, where that language has no current translation. No query: the
    translations are columns of the text's own row."""
    if language not in parallel.language_codes():
        language = translation.get_language() or ""
    return parallel.version_for(text, PARALLEL_SPECS[type(text)], language)


@register.filter
def served_title(text: ToolkitText) -> SafeString:
    """The title of ``text`` named in passing, in the reader's language where a current
    translation has it, else the authoritative one, marked with its language."""
    return parallel.served_title_marked(text, PARALLEL_SPECS[type(text)])


@register.simple_tag(takes_context=True)
def page_version(context: template.Context, text: ToolkitText) -> parallel.Version:
    """The version of ``text`` its own page shows: in the language ``?lang=`` names (each
    language's version has its own address), else in the reader's."""
    request = context.get("request")
    return reading(text, request.GET.get("lang", "") if request is not None else "")


@register.filter
def language_links(version: parallel.Version) -> list[tuple[parallel.Available, str]]:
    """Each current version of the text with its address on this page (``?lang=``)."""
    return [
        (available, f"?lang={available.language}")
        for available in version.available
        if available.current
    ]
