from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        help_text="What the token is for, e.g. 'notebook' or 'dashboard'.",
    )
    read_only = forms.BooleanField(
        required=False,
        initial=True,
        label="Read-only",
        help_text="A read-only token can never change anything. Analysts' tokens always are.",
    )
