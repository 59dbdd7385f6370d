"""Vietnamese names and places used to make demo data look like Nghệ An."""

SURNAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 6), ("Phan", 5),
    ("Võ", 4), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 3), ("Ngô", 2), ("Dương", 2),
    ("Lý", 1), ("Thái", 1), ("Chu", 1), ("Cao", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Đình", "Công", "Thanh", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thu", "Ngọc", "Hồng", "Thanh", "Minh", "Bích", "Kim", "Phương"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Mạnh",
    "Nam", "Phong", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Vinh", "Trường", "Lộc", "Nghĩa",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga",
    "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Uyên", "Vân", "Yến",
]  # fmt: skip
MOBILE_PREFIXES = ["086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038",
                   "039", "088", "091", "094", "081", "082", "083", "084", "085", "089", "090",
                   "093", "070", "076", "077", "078", "079", "092", "056", "058"]  # fmt: skip
STREETS = ["Lê Lợi", "Quang Trung", "Nguyễn Du", "Phan Bội Châu", "Trần Phú", "Lê Hồng Phong",
           "Nguyễn Thị Minh Khai", "Hồ Tùng Mậu", "Trường Thi", "Mai Hắc Đế", "Đinh Công Tráng",
           "Nguyễn Sỹ Sách", "Lê Duẩn", "Hà Huy Tập"]  # fmt: skip

# (kind, organisation name pattern, venue names) — {place} is the commune's name.
ORGANISATION_TEMPLATES = {
    "agency": ("Ủy ban nhân dân {place}", ["Trụ sở chính", "Bộ phận một cửa"]),
    "factory": ("Công ty TNHH May mặc {tag} (KCN VSIP Nghệ An)", ["Cổng số 1", "Xưởng may"]),
    "school": ("Trường THCS {place}", ["Cổng trường"]),
    "university": ("Trường Đại học Vinh — cơ sở {tag}", ["Giảng đường A", "Thư viện"]),
    "hospital": ("Bệnh viện Đa khoa {place}", ["Cổng chính", "Khoa Khám bệnh", "Khoa Nhi"]),
    "clinic": ("Phòng khám Đa khoa {tag}", ["Phòng khám"]),
    "market": ("Chợ {place}", ["Cổng chợ"]),
    "shop": ("Siêu thị mini {tag}", ["Cửa hàng"]),
    "restaurant": ("Quán ăn {tag}", ["Nhà hàng"]),
    "place_of_worship": ("Chùa {tag}", ["Chính điện"]),
    "bus_station": ("Bến xe {place}", ["Nhà chờ", "Quầy vé"]),
    "driving_school": ("Trung tâm Đào tạo lái xe {tag}", ["Sân tập"]),
    "vehicle": ("Công ty Vận tải hành khách {tag}", ["Xe khách 37B-{plate}"]),
    "other": ("Nhà văn hóa {place}", ["Hội trường"]),
}
TAGS = [
    "Hoa Sen", "Sông Lam", "Hồng Lĩnh", "Bến Thủy", "Trường An", "Phúc Lộc", "Đại Huệ",
    "Kim Liên", "Hưng Nguyên", "Nam Đàn", "Cửa Lò", "Thành Vinh", "Hoàng Mai", "Quỳnh Lưu",
]  # fmt: skip

# Share of organisations by kind in the demo (markets, shops and agencies dominate in reality).
KIND_WEIGHTS = {
    "agency": 14, "factory": 8, "school": 14, "university": 2, "hospital": 4, "clinic": 5,
    "market": 10, "shop": 16, "restaurant": 10, "place_of_worship": 3, "bus_station": 2,
    "driving_school": 2, "vehicle": 6, "other": 4,
}  # fmt: skip
CAPACITY = {"agency": 200, "factory": 2000, "school": 800, "university": 3000, "hospital": 1500,
            "clinic": 60, "market": 1500, "shop": 80, "restaurant": 120, "place_of_worship": 300,
            "bus_station": 600, "driving_school": 150, "vehicle": 45, "other": 250}  # fmt: skip
