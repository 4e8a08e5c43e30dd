"""The viewer's preferences: the zone they read times in besides the venue's and UTC."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# The zones a delegate of the body is likely to read in; venues may be anywhere.
VIEWER_TIMEZONES = [
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Atlantic/Reykjavik",
    "Europe/Lisbon",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Luxembourg",
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/Copenhagen",
    "Europe/Oslo",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Bratislava",
    "Europe/Budapest",
    "Europe/Ljubljana",
    "Europe/Zagreb",
    "Europe/Belgrade",
    "Europe/Tirane",
    "Europe/Skopje",
    "Europe/Podgorica",
    "Europe/Sofia",
    "Europe/Bucharest",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Helsinki",
    "Europe/Tallinn",
    "Europe/Riga",
    "Europe/Vilnius",
    "Europe/Chisinau",
    "Europe/Kyiv",
    "Europe/Minsk",
    "Europe/Moscow",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "Asia/Baku",
    "Asia/Almaty",
    "Asia/Bishkek",
    "Asia/Dushanbe",
    "Asia/Tashkent",
]


def viewer_timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in VIEWER_TIMEZONES]


class ViewerTimezoneForm(forms.Form):
    timezone = forms.ChoiceField(choices=viewer_timezone_choices, label=_("Show times also in"))
    next = forms.CharField(required=False, widget=forms.HiddenInput())
