"""Finding a commune or ward by what a person types: its 5-digit code, or its name with or
without diacritics ("truong vinh", "Phường Trường Vinh"), optionally followed by its province
("Tân Phú, Đồng Nai") — in any province. The list of current communes (≈3,300) is held folded
in memory and rebuilt when the places table changes (load_places)."""

from dataclasses import dataclass
from functools import lru_cache

from vaora.core.errors import VaoraError
from vaora.core.models import Place
from vaora.core.vietnamese import fold, sort_key

PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ")


@dataclass(frozen=True)
class Entry:
    pk: int
    code: str
    name: str
    province: str
    folded: str  # "phuong truong vinh"
    bare: str  # "truong vinh"
    folded_province: str  # "nghe an"
    bare_province: str  # "nghe an" ("tinh"/"thanh pho" dropped)

    @property
    def label(self) -> str:
        return f"{self.name}, {self.province}"


def _bare(folded: str, prefixes=PREFIXES) -> str:
    for prefix in prefixes:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


@lru_cache(maxsize=2)
def _entries(version: tuple) -> tuple[Entry, ...]:
    rows = (Place.objects.filter(scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE)
            .select_related("parent").only("pk", "code", "name", "parent__name"))  # fmt: skip
    entries = []
    for place in rows:
        province = place.parent.name if place.parent_id else ""
        folded, folded_province = fold(place.name), fold(province)
        entries.append(Entry(place.pk, place.code, place.name, province, folded, _bare(folded),
                             folded_province,
                             _bare(folded_province, ("tinh ", "thanh pho "))))  # fmt: skip
    entries.sort(key=lambda e: (sort_key(e.name), sort_key(e.province)))
    return tuple(entries)


def entries() -> tuple[Entry, ...]:
    current = Place.objects.filter(scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE)
    pks = current.values_list("pk", flat=True)
    return _entries((current.count(), min(pks, default=0), max(pks, default=0)))


def search(text: str, limit: int = 20) -> list[Entry]:
    """Communes whose name (or code) matches what was typed so far: names starting with it
    first, then containing it."""
    wanted = fold(text)
    if not wanted:
        return []
    name_part, _, province_part = (p.strip() for p in wanted.partition(","))
    found_start, found_inside = [], []
    for entry in entries():
        if province_part and province_part not in entry.folded_province:
            continue
        if (
            entry.code == name_part
            or entry.bare.startswith(name_part)
            or entry.folded.startswith(name_part)
        ):
            found_start.append(entry)
        elif name_part in entry.folded:
            found_inside.append(entry)
        if len(found_start) >= limit:
            break
    return (found_start + found_inside)[:limit]


def find(text: str) -> Place:
    """The one commune `text` names, or a coded refusal saying what to add."""
    wanted = fold(text)
    name_part, _, province_part = (p.strip() for p in wanted.partition(","))
    if not name_part:
        raise VaoraError("commune_required", "Nhập tên hoặc mã xã/phường.",
                         "Type the name or code of a commune or ward.", 422)  # fmt: skip
    matches = [
        e for e in entries()
        if (e.code == name_part or name_part in (e.folded, e.bare))
        and (not province_part or province_part in (e.folded_province, e.bare_province))
    ]  # fmt: skip
    if not matches:
        raise VaoraError("commune_not_found", f"Không tìm thấy xã/phường “{text.strip()[:60]}”.",
                         f"No commune or ward “{text.strip()[:60]}”.", 422)  # fmt: skip
    if len(matches) > 1:
        where = ", ".join(sorted({m.province for m in matches}, key=sort_key)[:4])
        raise VaoraError(
            "commune_ambiguous",
            f"Có {len(matches)} xã/phường tên này ({where}…): ghi thêm tỉnh, ví dụ "
            f"“{matches[0].label}”.",
            f"{len(matches)} communes have this name ({where}…): add the province, e.g. "
            f"“{matches[0].label}”.", 422,
        )  # fmt: skip
    return Place.objects.get(scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE,
                             code=matches[0].code)  # fmt: skip
