"""What pages share about forms."""

from django.forms.models import ModelChoiceField, ModelChoiceIterator

from vaora.core.errors import VaoraError
from vaora.core.vietnamese import sort_key


def add_refusal(form, error: VaoraError) -> None:
    """Shows a service's refusal in the form: field messages beside their fields (when the form
    has them), anything else at the top."""
    fields = getattr(error, "fields", None)
    if not fields:
        form.add_error(None, error.message)
        return
    for name, messages in fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class _VietnameseOrder(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=lambda o: sort_key(str(o))):
            yield self.choice(obj)


class VietnameseChoiceField(ModelChoiceField):
    """A choice of places or organisations listed in Vietnamese alphabetical order ("Đ" after
    "D", tones after letters), not the database's code-point order ("Đ" after "Z")."""

    iterator = _VietnameseOrder
