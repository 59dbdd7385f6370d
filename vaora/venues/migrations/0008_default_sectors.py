"""The sectors a province installation starts with (administrators edit them at /admin/):
each department's organisations by kind, and the economic-zone board's, whose enterprises are
groups the board keeps (no kind describes "in an industrial park")."""

from django.db import migrations

DEFAULTS = [
    ("giao-duc", "Sở Giáo dục và Đào tạo", "Department of Education and Training",
     ["school", "university"]),
    ("giao-thong", "Sở Giao thông vận tải", "Department of Transport",
     ["bus_station", "driving_school", "vehicle"]),
    ("y-te", "Sở Y tế", "Department of Health", ["hospital", "clinic"]),
    ("cong-thuong", "Sở Công Thương", "Department of Industry and Trade", ["market", "shop"]),
    ("lao-dong", "Sở Lao động – Thương binh và Xã hội", "Department of Labour", []),
    ("khu-kinh-te", "Ban Quản lý Khu kinh tế", "Economic Zone Management Board", []),
]  # fmt: skip


def create(apps, schema_editor):
    Sector = apps.get_model("venues", "Sector")
    for code, name_vi, name_en, kinds in DEFAULTS:
        Sector.objects.get_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en,
                                                          "kinds": kinds})  # fmt: skip


def remove(apps, schema_editor):
    Sector = apps.get_model("venues", "Sector")
    Sector.objects.filter(code__in=[code for code, *_rest in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("venues", "0007_sectors_and_groups")]
    operations = [migrations.RunPython(create, remove)]
