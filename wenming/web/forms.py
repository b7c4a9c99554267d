"""Service errors onto forms: the one mapper from ``ApplicationError`` to a field or non-field error."""

from __future__ import annotations

from django import forms

from wenming.core.errors import ApplicationError


def form_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Attach ``exc`` to the field it names (when the form has it), else to the whole form."""
    field = exc.field if exc.field and exc.field in form.fields else None
    form.add_error(field, exc.message)
