# A request for an extraordinary session made from a crisis alert kept the alert framed in
# the words of whoever turned it into a request ("Alert of 12 May 2027 10:00 UTC (...): ...",
# in their language). It now keeps the alert's own text, with when it was raised and its
# crisis's title, and is worded for each reader (ExtraordinaryRequest.display_reason). A
# session convened on such a request without a reason of its own had copied the framed text:
# it keeps the alert's text instead.

from datetime import UTC

from django.db import migrations
from django.utils import dateformat, translation


def _alerts(apps):
    Alert = apps.get_model("crises", "Alert")
    return Alert.objects.filter(extraordinary_request__isnull=False).select_related(
        "extraordinary_request__session", "crisis"
    )


def _english(alert):
    """The text as the request kept it before, in English."""
    with translation.override("en"):
        when = dateformat.format(alert.raised_at.astimezone(UTC), "j F Y H:i")
    about = f" ({alert.crisis.title})" if alert.crisis is not None else ""
    return f"Alert of {when} UTC{about}: {alert.text}"


def _replace(request, before, after):
    request.save(update_fields=["reason", "alert_raised_at", "alert_about"])
    session = request.session
    if session is not None and session.request_reason == before:
        session.request_reason = after
        session.save(update_fields=["request_reason"])


def requests_keep_the_alerts_text(apps, schema_editor):
    for alert in _alerts(apps):
        request = alert.extraordinary_request
        before = request.reason
        request.reason = alert.text
        request.alert_raised_at = alert.raised_at
        request.alert_about = alert.crisis.title if alert.crisis is not None else ""
        _replace(request, before, alert.text)


def requests_frame_the_alert_in_english(apps, schema_editor):
    for alert in _alerts(apps):
        request = alert.extraordinary_request
        english = _english(alert)
        request.reason = english
        request.alert_raised_at = None
        request.alert_about = ""
        _replace(request, alert.text, english)


class Migration(migrations.Migration):

    dependencies = [
        ("agenda", "0014_extraordinary_request_alert"),
        ("crises", "0008_aar_translations"),
    ]

    operations = [
        migrations.RunPython(requests_keep_the_alerts_text, requests_frame_the_alert_in_english),
    ]
