"""The `<id:...>` URL converter: an object id of at most 15 digits. Longer numbers match no URL
(404) instead of reaching the database, where SQLite cannot hold them (threat 31)."""


class ObjectIdConverter:
    regex = "[0-9]{1,15}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
