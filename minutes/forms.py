"""Forms of the record's pages: they parse input; every rule of substance is the services'."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User as UserModel
from django.db.models import Model, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agenda.models import AgendaItem, Document, Session
from consult.editor import RichTextWidget
from consult.pages import choose_the_only_one
from members.forms import PartyChoiceField
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


class SpeakerChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: UserModel) -> str:
        return obj.get_full_name() or obj.get_username()


class DelegatesChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: UserModel) -> str:
        return obj.get_full_name() or obj.get_username()


class StatementChoiceField(ModelChoiceField):
    # Labels come from the selector's display fields (Chatham House items read "a participant").
    def label_from_instance(self, obj: Any) -> str:
        return gettext("Item %(item)s, %(order)s. %(party)s: %(summary)s") % {
            "item": obj.item.order,
            "order": obj.order,
            "party": obj.display_party_name,
            "summary": obj.summary[:60],
        }


class ItemChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        rule = f" ({gettext('Chatham House')})" if obj.chatham_house else ""
        return f"{obj.order}. {obj.title}{rule}"


class StatementForm(forms.Form):
    """The secretariat's fast entry: item, party, speaker, summary; the rest is optional."""

    item = ItemChoiceField(
        queryset=AgendaItem.objects.none(), to_field_name="public_id", label=_("Item")
    )
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    speaker = SpeakerChoiceField(queryset=User.objects.none(), required=False, label=_("Speaker"))
    speaker_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Speaker name"),
        help_text=_("When the speaker has no account."),
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}), label=_("Summary")
    )
    full_text = forms.CharField(
        widget=RichTextWidget(attrs={"rows": 4}),
        required=False,
        label=_("Full text"),
        help_text=_("Optional; basic formatting is kept, anything else removed."),
    )
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(),
        to_field_name="public_id",
        required=False,
        label=_("Documents"),
    )
    distribution = forms.ChoiceField(
        choices=[
            ("", _("Default (participants, or the item's narrower level)")),
            *STATEMENT_DISTRIBUTIONS,
        ],
        required=False,
        label=_("Distribution"),
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
                required=False, label=_("%(party)s attended") % {"party": party.display_name}
            )
            self.fields[f"delegates-{party.code}"] = forms.MultipleChoiceField(
                required=False,
                label=_("Delegates of %(party)s") % {"party": party.display_name},
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
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    delegates = DelegatesChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label=_("Delegates"),
    )
    arrived_at = forms.DateTimeField(
        required=False, label=_("Arrived at"), help_text=_("UTC, e.g. 2027-03-10 09:00")
    )
    left_at = forms.DateTimeField(required=False, label=_("Left at"))

    def __init__(
        self, *args: Any, parties: QuerySet[Party], delegates: QuerySet[UserModel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        set_choices(self, "delegates", delegates)


class DelegationStatementForm(forms.Form):
    """An interpretative statement a delegation has attached to the record."""

    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    item = ItemChoiceField(
        queryset=AgendaItem.objects.none(), to_field_name="public_id", label=_("Item")
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    full_text = forms.CharField(
        widget=RichTextWidget(attrs={"rows": 8}), required=False, label=_("Full text")
    )

    def __init__(
        self, *args: Any, parties: QuerySet[Party], items: QuerySet[AgendaItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])
        set_choices(self, "item", items)


class AmendmentForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    statement = StatementChoiceField(
        queryset=Statement.objects.none(),
        to_field_name="public_id",
        required=False,
        label=_("Statement"),
        empty_label=_("A general correction"),
        help_text=_("The statement whose summary the amended text replaces."),
    )
    text = forms.CharField(label=_("Amended text"), widget=forms.Textarea(attrs={"rows": 4}))
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Rationale")
    )

    def __init__(
        self, *args: Any, parties: QuerySet[Party], statements: QuerySet[Statement], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])
        set_choices(self, "statement", statements)


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("reject", _("Reject"))], label=_("Decision")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class ActionPointForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Description"))
    owner = PartyChoiceField(
        queryset=Party.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Owner"),
        empty_label=_("The secretariat"),
    )
    item = ItemChoiceField(
        queryset=AgendaItem.objects.none(),
        to_field_name="public_id",
        required=False,
        label=_("Item"),
    )
    due_date = forms.DateField(label=_("Due date"), help_text=_("e.g. 2027-06-30"))

    def __init__(
        self, *args: Any, parties: QuerySet[Party], items: QuerySet[AgendaItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", parties)
        set_choices(self, "item", items)


class ActionPointStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionPoint.Status.choices, label=_("Status"))


class CommuniqueDraftForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(), to_field_name="public_id", label=_("Session")
    )
    title = forms.CharField(max_length=200, label=_("Title"))
    kind = forms.ChoiceField(choices=Communique.Kind.choices, label=_("Kind"))
    text = forms.CharField(widget=RichTextWidget(attrs={"rows": 14}), label=_("Text"))
    silence_procedure = forms.BooleanField(
        required=False,
        label=_("Silence procedure"),
        help_text=_("Agreed at the deadline unless a seat-holder breaks silence."),
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "session", sessions)


class CommuniqueVersionForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    text = forms.CharField(widget=RichTextWidget(attrs={"rows": 14}), label=_("Text"))
    note = forms.CharField(
        max_length=200, required=False, label=_("Note"), help_text=_("What changed.")
    )


class CommuniqueCirculateForm(forms.Form):
    deadline = forms.DateTimeField(label=_("Deadline"), help_text=_("UTC, e.g. 2027-03-20 12:00"))
    silence_procedure = forms.BooleanField(required=False, label=_("Silence procedure"))


class PositionForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    stance = forms.ChoiceField(
        choices=Position.Stance.choices, widget=forms.RadioSelect, label=_("Stance")
    )
    reservation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Reservation"),
        help_text=_("With a reservation only: published as a footnote attributed to your party."),
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])


class SilenceBreakForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])


class VerifyUploadForm(forms.Form):
    """A file to verify: a communiqué's signed PDF or its JSON signature envelope."""

    file = forms.FileField(
        label=_("PDF or JSON signature envelope"),
        help_text=_(
            "The signed PDF of a communiqué, or the JSON file "
            '{"canonical", "signature", "key_id"} from its page or the API.'
        ),
        allow_empty_file=True,
    )
