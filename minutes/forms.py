"""Forms of the record's pages: they parse input; every rule of substance is the services'."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User as UserModel
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from agenda.models import AgendaItem, Document, Session
from consult.editor import RichTextWidget
from consult.pages import choose_the_only_one
from consult.parallel import language_choices
from members.models import Party
from minutes.models import STATEMENT_DISTRIBUTIONS, ActionPoint, Communique, Position, Statement

User = get_user_model()

if TYPE_CHECKING:  # generic to the type checker only, not at run time
    ModelChoiceField = forms.ModelChoiceField[Any]
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField[Any]
else:
    ModelChoiceField = forms.ModelChoiceField
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField


def set_choices[M: Model](form: forms.Form, name: str, queryset: QuerySet[M]) -> None:
    """Offer ``queryset`` (a selector's) as the choices of the model choice field ``name``."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class PartyChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Party) -> str:
        return f"{obj.name_en} ({obj.code})"


class SpeakerChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: UserModel) -> str:
        return obj.get_full_name() or obj.get_username()


class DelegatesChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: UserModel) -> str:
        return obj.get_full_name() or obj.get_username()


class StatementChoiceField(ModelChoiceField):
    # Labels come from the selector's display fields (Chatham House items read "a participant").
    def label_from_instance(self, obj: Any) -> str:
        return f"Item {obj.item.order}, {obj.order}. {obj.display_party}: {obj.summary[:60]}"


class ItemChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        rule = " (Chatham House)" if obj.chatham_house else ""
        return f"{obj.order}. {obj.title}{rule}"


class StatementForm(forms.Form):
    """The secretariat's fast entry: item, party, speaker, summary; the rest is optional."""

    item = ItemChoiceField(queryset=AgendaItem.objects.none(), to_field_name="public_id")
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code")
    speaker = SpeakerChoiceField(queryset=User.objects.none(), required=False)
    speaker_name = forms.CharField(
        max_length=200, required=False, help_text="When the speaker has no account."
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}))
    full_text = forms.CharField(
        widget=RichTextWidget(attrs={"rows": 4}),
        required=False,
        help_text="Optional; basic formatting is kept, anything else removed.",
    )
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(), to_field_name="public_id", required=False
    )
    distribution = forms.ChoiceField(
        choices=[
            ("", "Default (participants, or the item's narrower level)"),
            *STATEMENT_DISTRIBUTIONS,
        ],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        items: QuerySet[AgendaItem],
        parties: QuerySet[Party],
        speakers: QuerySet[UserModel],
        documents: QuerySet[Document],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "item", items)
        set_choices(self, "party", parties)
        set_choices(self, "speaker", speakers)
        set_choices(self, "documents", documents)


class AttendanceSheetForm(forms.Form):
    """Every invited party on one form: tick who attended and choose their delegates."""

    def __init__(
        self, *args: Any, parties: list[Party], delegates: dict[int, list[Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Party, forms.BoundField, forms.BoundField]] = []
        for party in parties:
            self.fields[f"present-{party.code}"] = forms.BooleanField(
                required=False, label=f"{party.name_en} attended"
            )
            self.fields[f"delegates-{party.code}"] = forms.MultipleChoiceField(
                required=False,
                label=f"Delegates of {party.name_en}",
                choices=[
                    (str(user.pk), user.get_full_name() or user.get_username())
                    for user in delegates.get(party.pk, [])
                ],
                widget=forms.CheckboxSelectMultiple,
            )
            self.rows.append(
                (party, self[f"present-{party.code}"], self[f"delegates-{party.code}"])
            )
        self.parties = parties
        self.delegates = delegates

    def attending(self) -> dict[Party, list[Any]]:
        """The ticked parties, each with the delegates chosen for it."""
        chosen: dict[Party, list[Any]] = {}
        for party in self.parties:
            if not self.cleaned_data.get(f"present-{party.code}"):
                continue
            ids = set(self.cleaned_data.get(f"delegates-{party.code}") or [])
            chosen[party] = [u for u in self.delegates.get(party.pk, []) if str(u.pk) in ids]
        return chosen


class AttendanceForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code")
    delegates = DelegatesChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    arrived_at = forms.DateTimeField(required=False, help_text="UTC, e.g. 2027-03-10 09:00")
    left_at = forms.DateTimeField(required=False)

    def __init__(
        self, *args: Any, parties: QuerySet[Party], delegates: QuerySet[UserModel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        set_choices(self, "delegates", delegates)


class DelegationStatementForm(forms.Form):
    """An interpretative statement a delegation has attached to the record."""

    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code")
    item = ItemChoiceField(queryset=AgendaItem.objects.none(), to_field_name="public_id")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    full_text = forms.CharField(widget=RichTextWidget(attrs={"rows": 8}), required=False)

    def __init__(
        self, *args: Any, parties: QuerySet[Party], items: QuerySet[AgendaItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])
        set_choices(self, "item", items)


class AmendmentForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code")
    statement = StatementChoiceField(
        queryset=Statement.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="A general correction",
        help_text="The statement whose summary the amended text replaces.",
    )
    text = forms.CharField(label="Amended text", widget=forms.Textarea(attrs={"rows": 4}))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self, *args: Any, parties: QuerySet[Party], statements: QuerySet[Statement], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])
        set_choices(self, "statement", statements)


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ActionPointForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owner = PartyChoiceField(
        queryset=Party.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="The secretariat",
    )
    item = ItemChoiceField(
        queryset=AgendaItem.objects.none(), to_field_name="public_id", required=False
    )
    due_date = forms.DateField(help_text="e.g. 2027-06-30")

    def __init__(
        self, *args: Any, parties: QuerySet[Party], items: QuerySet[AgendaItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", parties)
        set_choices(self, "item", items)


class ActionPointStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionPoint.Status.choices)


class CommuniqueDraftForm(forms.Form):
    session = forms.ModelChoiceField(queryset=Session.objects.none(), to_field_name="public_id")
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Communique.Kind.choices)
    text = forms.CharField(widget=RichTextWidget(attrs={"rows": 14}))
    silence_procedure = forms.BooleanField(
        required=False, help_text="Agreed at the deadline unless a seat-holder breaks silence."
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "session", sessions)


class CommuniqueVersionForm(forms.Form):
    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=RichTextWidget(attrs={"rows": 14}))
    note = forms.CharField(max_length=200, required=False, help_text="What changed.")


class CommuniqueTranslationForm(forms.Form):
    """A translation of a text; the service refuses its authoritative language."""

    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    title = forms.CharField(label=_("Title"), max_length=240)
    text = forms.CharField(label=_("Text"), widget=RichTextWidget(attrs={"rows": 14}))


class CommuniqueCirculateForm(forms.Form):
    deadline = forms.DateTimeField(help_text="UTC, e.g. 2027-03-20 12:00")
    silence_procedure = forms.BooleanField(required=False)


class PositionForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code")
    stance = forms.ChoiceField(choices=Position.Stance.choices, widget=forms.RadioSelect)
    reservation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="With a reservation only: published as a footnote attributed to your party.",
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])


class SilenceBreakForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])


class VerifyUploadForm(forms.Form):
    """A file to verify: a communiqué's signed PDF or its JSON signature envelope."""

    file = forms.FileField(
        label="PDF or JSON signature envelope",
        help_text="The signed PDF of a communiqué, or the JSON file "
        '{"canonical", "signature", "key_id"} from its page or the API.',
        allow_empty_file=True,
    )
