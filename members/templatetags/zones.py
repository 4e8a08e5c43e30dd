"""``{% in_zone value zone "format" %}``: every time a page, pack or PDF shows.

Each time is shown in a named zone (the venue's, UTC, or the viewer's), never
in whatever zone happens to be active; the formatting is
``consult.times.format_in_zone``, shared with e-mails and the stamp.
"""

from datetime import datetime

from django import template

from consult.times import format_in_zone

register = template.Library()

DEFAULT_FORMAT = "j M Y, H:i"


@register.simple_tag
def in_zone(value: datetime | None, zone: str, fmt: str = DEFAULT_FORMAT) -> str:
    return format_in_zone(value, zone, fmt)
