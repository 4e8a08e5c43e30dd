from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label=_("Name"),
        help_text=_("What the token is for, e.g. 'notebook' or 'dashboard'."),
    )
    read_only = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Read-only"),
        help_text=_("A read-only token can never change anything. Analysts' tokens always are."),
    )
