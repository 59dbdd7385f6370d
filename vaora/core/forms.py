"""What pages share about forms."""

from vaora.core.errors import VaoraError


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
