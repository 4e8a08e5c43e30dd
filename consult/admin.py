"""What the apps' admins share.

Django's admin classes and ``ModelForm`` take no type arguments at run time
(django-stubs' ``django_stubs_ext`` is a development dependency only), so the
apps subclass these names, which the type checker reads as the parametrised
classes and Python as Django's own.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
    ModelForm = forms.ModelForm[Any]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline
    ModelForm = forms.ModelForm


class ReadOnlyAdmin(ModelAdmin):
    """Rows shown, never added, changed or deleted here: their services make and change them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
