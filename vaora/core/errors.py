"""Coded errors: every refusal carries a stable code and a message in Vietnamese and English."""

from django.utils import translation


class VaoraError(Exception):
    """Base of all domain refusals. Services raise it; views and the API turn it into a page or
    JSON `{"code", "message", "message_vi", "message_en"}` with `status`."""

    status = 400

    def __init__(self, code: str, message_vi: str, message_en: str, status: int | None = None):
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return self.message_en if translation.get_language() == "en" else self.message_vi

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message": self.message,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


class NotFound(VaoraError):
    status = 404

    def __init__(self, what_vi: str = "đối tượng", what_en: str = "object"):
        super().__init__(
            "not_found",
            f"Không tìm thấy {what_vi}, hoặc bạn không có quyền xem.",
            f"The {what_en} was not found, or you may not see it.",
        )


class InvalidFields(VaoraError):
    """Field-level validation failures; `fields` maps each field to its messages."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(
            "invalid_fields",
            "Một số thông tin chưa hợp lệ: " + ", ".join(fields),
            "Some fields are not valid: " + ", ".join(fields),
            422,
        )
        self.fields = fields

    def as_dict(self) -> dict:
        return super().as_dict() | {"fields": self.fields}
