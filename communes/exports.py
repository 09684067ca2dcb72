"""The commune list out to Excel: the rows the user sees on the page, with the filters applied, in
Vietnamese whatever the interface language (files go round)."""

from django.utils import translation

from communes.access import communes_for
from communes.forms import CommuneFilterForm
from communes.models import AreaType
from core.spreadsheets import xlsx_response

CHUNK = 1000


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


HEADERS = ["Mã xã", "Tên xã", "Loại", "Huyện", "Tỉnh", "Khu vực", "Đặc biệt khó khăn",
           "Vùng đồng bào dân tộc thiểu số", "Ngày thành lập", "Ngày giải thể, sáp nhập"]  # fmt: skip


def _rows(communes):
    for commune in communes.iterator(chunk_size=CHUNK):
        yield [
            commune.code,
            commune.name,
            commune.get_kind_display(),
            commune.district.name if commune.district_id else "",
            commune.province.name,
            str(AreaType(commune.area_type).label) if commune.area_type else "",
            "x" if commune.extremely_disadvantaged else "",
            "x" if commune.ethnic_minority_area else "",
            _date(commune.established_on),
            _date(commune.dissolved_on),
        ]


def communes_xlsx(request):
    with translation.override("vi"):
        scoped = communes_for(request.user)
        form = CommuneFilterForm(request.GET or None, communes=scoped)
        communes = form.filter(scoped).select_related("province", "district").order_by("name", "code")
        return xlsx_response("danh-sach-xa.xlsx", HEADERS, _rows(communes), sheet_title="Xã")
