"""The venue list as a spreadsheet: the same columns the importer reads, plus the codes."""

from django.utils import translation

from vaora.core import exports

HEADER = ["ten_dia_diem", "loai_hinh", "dia_chi", "ma_xa", "xa_phuong", "suc_chua",
          "thoi_gian_luu_phut", "bien_so", "tuyen", "nha_xe", "ma_dia_diem", "phien_ban_ma",
          "thu_hoi"]  # fmt: skip


def rows(venues):
    with translation.override("vi"):
        for v in venues.iterator(chunk_size=2000):
            yield [
                v.name, v.get_kind_display(), v.address, v.commune.code, v.commune.name,
                v.capacity or "", v.default_stay_minutes, v.plate_number, v.route,
                v.operator_name, v.display_code, v.qr_version, "có" if v.revoked_at else "",
            ]  # fmt: skip


def venues_response(venues, fmt: str, filename: str):
    return exports.response(fmt, HEADER, rows(venues), filename)
