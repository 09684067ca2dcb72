"""The columns of the two imports (and of the exports that read back), the ways a choice may be
written, and the templates users fill in."""

import dataclasses

from django.utils import translation

from communes.models import AreaType
from core.spreadsheets import Column, choice_lookup
from households import poverty
from households.models import CauseOfPoverty, ImportRecord, Livelihood, Relation, Sex, SupportKind

HOUSEHOLD_COLUMNS = [
    Column("code", "Mã hộ", required=True, aliases=("Mã hộ gia đình", "Household code")),
    Column(
        "head_name", "Họ tên chủ hộ", required=True, aliases=("Chủ hộ", "Tên chủ hộ", "Head of household")
    ),
    Column("village", "Thôn, làng", required=True, aliases=("Thôn", "Làng", "Bản", "Thôn/làng", "Village")),
    Column("commune", "Xã", aliases=("Commune",)),
    Column("address", "Địa chỉ", aliases=("Address",)),
    Column("area_type", "Khu vực", aliases=("Area type",)),
    Column("ethnicity", "Dân tộc", aliases=("Ethnicity",)),
    Column("main_livelihood", "Sinh kế chính", aliases=("Main livelihood",)),
    Column("registered_on", "Ngày đăng ký hộ", aliases=("Ngày đăng ký", "Registered on")),
    Column("full_name", "Họ tên thành viên", aliases=("Thành viên", "Họ và tên", "Member")),
    Column("relation", "Quan hệ với chủ hộ", aliases=("Quan hệ", "Relation to the head")),
    Column("sex", "Giới tính", aliases=("Sex",)),
    Column("birth_year", "Năm sinh", aliases=("Year of birth",)),
    Column(
        "citizen_id",
        "Số định danh cá nhân",
        aliases=("Số CCCD", "CCCD", "Căn cước công dân", "Số căn cước", "Citizen ID number"),
    ),
    Column("health_insurance_card", "Số thẻ BHYT", aliases=("Thẻ BHYT", "Health-insurance card")),
    Column("joined_on", "Ngày vào hộ", aliases=("Joined on",)),
    # Exports write it so that a file goes round: members with the same name and year stay apart.
    Column("member_key", "Mã thành viên", aliases=("Member key",)),
]
HOUSEHOLD_FIELDS = ["code", "head_name", "village", "address", "area_type", "ethnicity", "main_livelihood",
                    "registered_on"]  # fmt: skip
PERSON_FIELDS = ["full_name", "sex", "birth_year", "citizen_id", "health_insurance_card"]
MEMBER_FIELDS = ["relation", "joined_on"]

# The indicators' names as the commune's forms write them (DOMAIN.md §3); the last two are Decree
# 351/2025's (wording to confirm).
INDICATOR_HEADERS = {
    "employment": "Việc làm",
    "dependants": "Người phụ thuộc trong hộ gia đình",
    "nutrition": "Dinh dưỡng",
    "health_insurance": "Bảo hiểm y tế",
    "adult_education": "Trình độ giáo dục của người lớn",
    "child_school_attendance": "Tình trạng đi học của trẻ em",
    "housing_quality": "Chất lượng nhà ở",
    "housing_area_per_capita": "Diện tích nhà ở bình quân đầu người",
    "domestic_water": "Nguồn nước sinh hoạt",
    "hygienic_latrine": "Nhà tiêu hợp vệ sinh",
    "telecom_services": "Sử dụng dịch vụ viễn thông",
    "information_means": "Phương tiện phục vụ tiếp cận thông tin",
    "telecom_digital_services": "Sử dụng dịch vụ viễn thông và dịch vụ số",
    "household_waste": "Xử lý rác thải sinh hoạt",
}


def review_columns(standard: poverty.Standard) -> list[Column]:
    with translation.override("en"):
        indicators = [
            Column(i.key, INDICATOR_HEADERS.get(i.key, str(i.name)), required=True, aliases=(str(i.name),))
            for i in standard.indicators
        ]
    return [
        Column("code", "Mã hộ", required=True, aliases=("Mã hộ gia đình", "Household code")),
        Column("head_name", "Họ tên chủ hộ", aliases=("Chủ hộ", "Tên chủ hộ", "Head of household")),
        Column("village", "Thôn, làng", aliases=("Thôn", "Làng", "Bản", "Thôn/làng", "Village")),
        Column(
            "income",
            "Thu nhập bình quân đầu người/tháng (đồng)",
            required=True,
            aliases=("Thu nhập bình quân đầu người", "Thu nhập bình quân", "Thu nhập", "Income per person"),
        ),
        Column("a_points", "Điểm A", aliases=("Điểm A (mẫu B1)", "Điểm A (mẫu B2)", "A points")),
        *indicators,
        Column("evidence", "Ghi chú, minh chứng", aliases=("Minh chứng", "Ghi chú", "Evidence notes")),
        Column("surveyed_on", "Ngày rà soát", aliases=("Ngày khảo sát", "Surveyed on")),
        *FACT_COLUMNS,
    ]


# The household facts of a review (DOMAIN.md §4a): optional columns; a file without them leaves the
# facts recorded as they are. Causes and support are written as their labels, separated by ";".
FACT_FLAG_COLUMNS = [
    Column(
        "ethnic_minority", "Hộ dân tộc thiểu số", aliases=("Dân tộc thiểu số", "Ethnic-minority household")
    ),
    Column(
        "no_working_capacity",
        "Hộ không có khả năng lao động",
        aliases=("Không có khả năng lao động", "Household without working capacity"),
    ),
    Column(
        "meritorious",
        "Hộ có người có công",
        aliases=("Người có công", "Hộ người có công", "Household of people with meritorious service"),
    ),
]
FACT_COLUMNS = [
    *FACT_FLAG_COLUMNS,
    Column("causes", "Nguyên nhân nghèo", aliases=("Causes of poverty",)),
    Column("supports", "Hỗ trợ đã nhận", aliases=("Chính sách hỗ trợ đã nhận", "Support received")),
]
CHOICE_SEPARATOR = "; "


def choice_label_vi(choices_class, value) -> str:
    if not value:
        return ""
    with translation.override("vi"):
        return str(choices_class(value).label)


# The ways people write each choice → the stored value.
SEXES = choice_lookup(Sex.choices, (Sex.MALE, ("M", "Nam giới", "Trai")), (Sex.FEMALE, ("F", "Nu", "Gái")))
RELATIONS = choice_lookup(
    Relation.choices,
    (Relation.HEAD, ("Chủ hộ", "Chu ho")),
    (Relation.SPOUSE, ("Vợ", "Chồng")),
    (Relation.CHILD, ("Con", "Con trai", "Con gái", "Con đẻ")),
    (Relation.PARENT, ("Bố", "Mẹ", "Cha")),
    (Relation.GRANDCHILD, ("Cháu",)),
    (Relation.SIBLING, ("Anh", "Chị", "Em")),
)
LIVELIHOODS = choice_lookup(Livelihood.choices)
CAUSES = choice_lookup(CauseOfPoverty.choices, (CauseOfPoverty.CAPITAL, ("Thiếu vốn",)))
SUPPORTS = choice_lookup(SupportKind.choices, (SupportKind.HEALTH_INSURANCE, ("BHYT",)))
AREA_TYPES = choice_lookup(AreaType.choices)


# Templates ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Template:
    columns: list[Column]
    notes: dict[str, str]  # column key → the note on its header cell
    sample: dict  # column key → the sample row's value


HOUSEHOLD_NOTES = {
    "code": "Bắt buộc. Mã hộ trong xã; các dòng của cùng một hộ phải liền nhau.",
    "head_name": "Bắt buộc ở dòng đầu của hộ.",
    "village": "Bắt buộc ở dòng đầu của hộ: tên thôn, làng như trong phần mềm.",
    "area_type": "Nông thôn hoặc Thành thị; để trống thì lấy theo xã.",
    "main_livelihood": "Ví dụ: Nông nghiệp, Lâm nghiệp, Làm thuê…",
    "registered_on": "dd/mm/yyyy",
    "full_name": "Mỗi thành viên một dòng; để trống nếu dòng chỉ có thông tin hộ.",
    "relation": "Chủ hộ, Vợ/chồng, Con, Bố/mẹ, Cháu, Anh/chị/em, Người thân khác.",
    "sex": "Nam hoặc Nữ.",
    "citizen_id": "12 chữ số.",
    "joined_on": "dd/mm/yyyy",
    "member_key": "Phần mềm ghi khi xuất tệp; giữ nguyên khi sửa tệp xuất, để trống với thành viên mới.",
}
HOUSEHOLD_SAMPLE = {
    "code": "MH-001",
    "head_name": "A Blong",
    "village": "Làng Mới",
    "address": "Làng Mới",
    "area_type": "Nông thôn",
    "ethnicity": "Xơ Đăng",
    "main_livelihood": "Nông nghiệp",
    "registered_on": "01/01/2015",
    "full_name": "A Blong",
    "relation": "Chủ hộ",
    "sex": "Nam",
    "birth_year": 1985,
    "citizen_id": "",
    "health_insurance_card": "",
    "joined_on": "",
    "member_key": "",
}
GENERAL_NOTES = [
    "Dòng đầu là tiêu đề cột; tên cột không phân biệt hoa thường, dấu và khoảng trắng.",
    "Số viết liền hoặc có dấu chấm ngăn cách (1.500.000); ngày viết dd/mm/yyyy.",
    "Không dùng công thức, không gộp ô ở dòng tiêu đề; tệp tối đa 10 MB.",
    "Hộ đã có được tìm theo mã hộ trong xã, sau đó theo họ tên chủ hộ và thôn.",
    "Ô để trống giữ nguyên thông tin đã có. Nhập thử trước, sau đó mới nhập thật.",
]


def template_columns(kind: str, standard: poverty.Standard) -> Template:
    if kind == ImportRecord.Kind.REVIEWS:
        columns = review_columns(standard)
        notes = {
            "code": "Bắt buộc: mã hộ đã có trong xã.",
            "income": "Đồng/người/tháng, ví dụ 1.200.000.",
            "a_points": "Điểm A theo mẫu B1, nếu có.",
            "surveyed_on": "dd/mm/yyyy",
            "causes": "Hộ nghèo, hộ cận nghèo: các nguyên nhân, cách nhau bằng dấu chấm phẩy (;).",
            "supports": "Các hỗ trợ đã nhận, cách nhau bằng dấu chấm phẩy (;).",
        }
        notes |= {c.key: "Ghi x nếu đúng." for c in FACT_FLAG_COLUMNS}
        notes |= {i.key: "Ghi x nếu hộ thiếu hụt chỉ số này." for i in standard.indicators}
        sample = {"code": "MH-001", "head_name": "A Blong", "village": "Làng Mới", "income": "1.200.000",
                  "health_insurance": "x", "hygienic_latrine": "x", "nutrition": "x",
                  "evidence": "Phiếu B2 ngày 20/09"}  # fmt: skip
        return Template(columns, notes, sample)
    return Template(HOUSEHOLD_COLUMNS, HOUSEHOLD_NOTES, HOUSEHOLD_SAMPLE)


def template_workbook(kind: str, standard: poverty.Standard, out) -> None:
    """The expected columns (a note on each header cell), a sample row, and a sheet of instructions."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    template = template_columns(kind, standard)
    columns, notes, sample = template.columns, template.notes, template.sample
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        note = ("Bắt buộc. " if column.required else "") + notes.get(column.key, "")
        if note.strip():
            cell.comment = Comment(note.strip(), "commune-assist")
        sheet.cell(row=2, column=index, value=sample.get(column.key, ""))
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) + 2)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Hướng dẫn nhập dữ liệu"])
    guide["A1"].font = Font(bold=True)
    for line in GENERAL_NOTES:
        guide.append([line])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Ghi chú"])
    for column in columns:
        guide.append([column.header, "x" if column.required else "", notes.get(column.key, "")])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["C"].width = 70
    workbook.save(out)
