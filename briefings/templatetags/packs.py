"""Template helpers of briefing packs.

``pack_asset`` names a static asset for the page or for the PDF renderer
(which loads only internal ``consult-static:`` URLs). ``pack_panel`` is the
session page's briefing-pack box: the reader's link for delegates, read
receipts per delegation and the rebuild button for the secretariat. Other
apps' templates load it (``{% load packs %}{% pack_panel session %}``), so
their Python never imports briefings.
"""

import re
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from agenda.models import Document, Session
from briefings.selectors.content import PaperView
from briefings.selectors.receipts import pack_panel_data
from consult.pdf import asset_url
from crises.charts import score_text

register = template.Library()


@register.simple_tag(takes_context=True)
def pack_asset(context: template.Context, path: str) -> str:
    return asset_url(path, for_pdf=bool(context.get("pdf")))


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string: quotes, backslashes, line ends and brackets escaped."""
    escaped = re.sub(r'["\\\n<>]', lambda match: f"\\{ord(match.group()):x} ", text)
    return f'"{escaped}"'


@register.simple_tag
def page_counter_css() -> SafeString:
    """The PDF footer's "Page N of M" in the active language, as a CSS ``content`` value."""
    worded = gettext("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\((?:page|pages)\)s)", worded)
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    values = [counters.get(part) or _css_string(part) for part in parts if part]
    # Only counters and escaped strings: nothing a translation holds can end the rule.
    return mark_safe(" ".join(values))  # noqa: S308


@register.inclusion_tag("briefings/_pack_panel.html", takes_context=True)
def pack_panel(context: template.Context, session: Session) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"panel": pack_panel_data(user=user, session=session) if user is not None else None}


@register.filter
def notes_on(annotations: dict[str, list[Document]] | None, paper: PaperView) -> list[Document]:
    """The reader's notes on passages of ``paper`` (``pack_annotations``), oldest first."""
    return (annotations or {}).get(str(paper.public_id), [])


@register.filter
def score(value: float) -> str:
    """A median or quartile as a person writes it: 3, 2.5, 1.75."""
    return score_text(value)
