"""The one place where numbers and dates typed by a user are bounded (IN2: no input answers 5xx).

Every form of the platform derives from ``BaseForm`` / ``BaseModelForm`` and every query form from
``BaseFilterSet``: on construction each integer, decimal, float, date and date-time field (also inside
multi-value fields such as date ranges) gets the platform bounds below, with a Chinese message, unless
the field already sets tighter ones. A value outside them never reaches the database, where it would
overflow a 32/64-bit column (PostgreSQL ``DataError``, SQLite ``OverflowError``) or a time-zone
conversion (``0001-01-01`` in Asia/Shanghai is before ``datetime.min`` in UTC).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceIterator

# A signed 32-bit integer: the narrowest integer column a form value is compared with
# (``IntegerField`` on PostgreSQL); primary keys are 64-bit, so every real id fits.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)

INT_MESSAGE = "数值超出允许范围，应在 {lo} 到 {hi} 之间"
DATE_MESSAGE = "日期超出允许范围，应在 {lo:%Y-%m-%d} 到 {hi:%Y-%m-%d} 之间"


@deconstructible
class NumberRange:
    """Reject numbers outside ``[lo, hi]`` (``inf``/``NaN`` never get here: the fields refuse them)."""

    def __init__(self, lo: int = INT_MIN, hi: int = INT_MAX) -> None:
        self.lo, self.hi = lo, hi

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValidationError(INT_MESSAGE.format(lo=self.lo, hi=self.hi), code="out_of_range")
        if not (self.lo <= value <= self.hi):
            raise ValidationError(INT_MESSAGE.format(lo=self.lo, hi=self.hi), code="out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberRange) and (self.lo, self.hi) == (other.lo, other.hi)


@deconstructible
class DateRange:
    """Reject dates (or the date part of date-times) outside ``[DATE_MIN, DATE_MAX]``."""

    def __init__(self, lo: date = DATE_MIN, hi: date = DATE_MAX) -> None:
        self.lo, self.hi = lo, hi

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        if not (self.lo <= day <= self.hi):
            raise ValidationError(DATE_MESSAGE.format(lo=self.lo, hi=self.hi), code="out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and (self.lo, self.hi) == (other.lo, other.hi)


_NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
_DATE_FIELDS = (forms.DateField, forms.DateTimeField)


_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def _guard_choice_keys(field: forms.ModelChoiceField) -> None:
    """An integer-keyed model choice refuses a value that is not a 64-bit key before any query runs."""
    if getattr(field, "_wenming_bounded", False) or field.queryset is None:
        return
    field._wenming_bounded = True
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    if key.get_internal_type() not in _INTEGER_KEYS:
        return
    clean = field.clean

    def guarded(value: Any) -> Any:
        many = isinstance(value, list | tuple)
        for v in value if many else [value]:
            if v in field.empty_values or hasattr(v, "_meta"):
                continue
            if parse_id(v) is None:
                raise ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(v)[:20]}
                )
        return clean(value)

    field.clean = guarded


def bound_field(field: forms.Field) -> None:
    """Give one field (and the parts of a multi-value field) the platform bounds; idempotent."""
    if isinstance(field, forms.MultiValueField):
        for sub in field.fields:
            bound_field(sub)
    if isinstance(field, forms.ModelChoiceField):
        _guard_choice_keys(field)
        return
    if isinstance(field, _NUMBER_FIELDS):
        lo = INT_MIN if field.min_value is None else max(INT_MIN, field.min_value)
        hi = INT_MAX if field.max_value is None else min(INT_MAX, field.max_value)
        check = NumberRange(lo, hi)
    elif isinstance(field, _DATE_FIELDS):
        check = DateRange()
    else:
        return
    if not any(isinstance(v, type(check)) for v in field.validators):
        field.validators = [*field.validators, check]


def bound_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        bound_field(field)


class BoundedFormMixin:
    """Applies ``bound_fields`` after the form (and any subclass ``__init__``) built its fields."""

    def full_clean(self) -> None:
        bound_fields(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


# The empty choice of a select: 请选择 in a form, 全部 in a query form — never Django's "---------".
CHOOSE = _("请选择")
ALL = _("全部")
_DASH = BLANK_CHOICE_DASH[0][1]


def label_empty_choices(form: forms.BaseForm, label: Any) -> None:
    """Name the empty choice of every select of ``form`` ``label`` where Django would show dashes."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == _DASH:
            field.empty_label = label  # model choices read it when rendering
            iterator = getattr(field, "_choices", None)
            if isinstance(iterator, ChoiceIterator):  # bound to the class's field
                field.choices = iterator.choices
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if any(value == "" and text == _DASH for value, text in choices):
                field.choices = [(value, label if value == "" and text == _DASH else text) for value, text in choices]


class EmptyChoiceMixin:
    """Gives the selects of a form the platform's empty choice (``CHOOSE``) once its fields exist."""

    empty_choice_label: Any = CHOOSE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_empty_choices(self, self.empty_choice_label)  # type: ignore[arg-type]


class BaseForm(EmptyChoiceMixin, BoundedFormMixin, forms.Form):
    """Base of every plain form of the platform."""


class BaseModelForm(EmptyChoiceMixin, BoundedFormMixin, forms.ModelForm):
    """Base of every model form of the platform."""


class BaseFilterSet(django_filters.FilterSet):
    """Base of every query form (pages and API): bounded like every other form; its selects offer 全部."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            label_empty_choices(super().form, ALL)
        return self._form

    def get_form_class(self):
        form_class = super().get_form_class()
        if issubclass(form_class, BoundedFormMixin):
            return form_class
        return type(form_class.__name__, (BoundedFormMixin, form_class), {})


def bound_serializer_field(field: Any) -> None:
    """The same bounds for a DRF serializer field (and the child of a list or dict field)."""
    from rest_framework import fields as drf

    child = getattr(field, "child", None)
    if child is not None:
        bound_serializer_field(child)
    if isinstance(field, drf.IntegerField | drf.DecimalField | drf.FloatField):
        lo = INT_MIN if field.min_value is None else max(INT_MIN, field.min_value)
        hi = INT_MAX if field.max_value is None else min(INT_MAX, field.max_value)
        check: NumberRange | DateRange = NumberRange(lo, hi)
    elif isinstance(field, drf.DateField | drf.DateTimeField):
        check = DateRange()
        _catch_overflow(field)
    else:
        return
    if not any(isinstance(v, type(check)) for v in field.validators):
        field.validators = [*field.validators, check]


def _catch_overflow(field: Any) -> None:
    """DRF converts a date-time to the current time zone before validators run: year 1 overflows there."""
    from rest_framework.exceptions import ValidationError as DRFValidationError

    parse = type(field).to_internal_value

    def to_internal_value(data: Any) -> Any:
        try:
            return parse(field, data)
        except OverflowError as exc:
            raise DRFValidationError(DATE_MESSAGE.format(lo=DATE_MIN, hi=DATE_MAX), code="out_of_range") from exc

    field.to_internal_value = to_internal_value


class BoundedSerializerMixin:
    """Base of every writable API serializer: its numbers and dates get the platform bounds."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            bound_serializer_field(field)
        return fields


# --- numbers read straight from a query string or a POST list (not through a form) ----------------
ID_MAX = 2**63 - 1  # a 64-bit primary key
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year


def parse_int(value: Any, *, lo: int = INT_MIN, hi: int = INT_MAX) -> int | None:
    """The integer in ``value`` if it is plain ASCII digits (optional sign) within ``[lo, hi]``, else None."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 20 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if lo <= number <= hi else None


def parse_id(value: Any) -> int | None:
    """A primary key from user input (1 … 2⁶³−1), else None."""
    return parse_int(value, lo=1, hi=ID_MAX)


def parse_ids(values: Any) -> list[int]:
    """The valid primary keys among ``values``; anything else is dropped."""
    return [n for n in (parse_id(v) for v in values or ()) if n is not None]


def parse_year(value: Any, default: int) -> int:
    year = parse_int(value, lo=YEAR_MIN, hi=YEAR_MAX)
    return default if year is None else year
