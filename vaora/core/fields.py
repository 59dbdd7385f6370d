"""EncryptedTextField: text stored encrypted at rest, decrypted on read."""

from django.core.exceptions import FieldError
from django.db import models

from vaora.core import crypto


class EncryptedTextField(models.TextField):
    """Stores AES-GCM ciphertext. Equality lookups are impossible by design (each write uses a
    fresh nonce): look values up through a blind-index column instead."""

    def _context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value, self._context())

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(str(value), self._context())

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: filter on its blind index, not with '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)


class VietnameseOrderField(models.TextField):
    """A copy of another field (`source`) in Vietnamese dictionary order (core.vietnamese.
    order_text), set on every save and every bulk insert: `order_by("name_order")` lists "Đ"
    after "D", not after "Z", and the database can index it."""

    def __init__(self, *args, source: str = "name", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        from vaora.core.vietnamese import order_text

        value = order_text(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
