"""The survey mission's report and its photos: content equal to the mission page, the PDF with the
photo, photos validated on upload and served only to those who may see the mission."""

import datetime
import io
import struct
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assistance import services
from assistance.models import Activity, MissionPhoto
from tests.pdfs import A4_POINTS, page_size, pdf_text

D = datetime.date


def image_bytes(kind="PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def surveyed(mission, geography, catalogue, make_plan, line, department_officer):
    mission.findings.create(
        commune=geography["muong_hoong"], topic=catalogue["DA2"], text="Cần nhân rộng mô hình bò sinh sản."
    )
    mission.findings.create(
        commune=geography["ngoc_linh_old"], topic=catalogue["DA2"], text="Cần mô hình chăn nuôi trâu."
    )
    for commune, amount, title in [
        (geography["muong_hoong"], 221_000_000, "Mô hình chăn nuôi bò sinh sản"),
        (geography["ngoc_linh_old"], 220_000_000, "Mô hình chăn nuôi trâu sinh sản"),
    ]:
        plan = make_plan(commune, mission=mission, title=f"Kế hoạch {commune.name}")
        line(plan, by=department_officer, kind=Activity.Kind.LIVELIHOOD_MODEL, amount=amount, title=title)
        services.approve_plan(plan=plan, by=department_officer, on=D(2022, 8, 22))
    return mission


def add_photo(mission, caption="Làm việc tại UBND xã Mường Hoong"):
    photo = MissionPhoto(mission=mission, caption=caption)
    photo._format = "PNG"
    photo.image.save("x.png", io.BytesIO(image_bytes()), save=True)
    return photo


def test_the_report_has_who_when_where_the_findings_and_the_agreed_support(
    client_of, department_officer, surveyed
):
    client = client_of(department_officer)
    page = client.get(surveyed.get_absolute_url())
    response = client.get(reverse("assistance:mission_report", args=[surveyed.pk]))
    text = response.content.decode()
    for expected in [
        "Báo cáo",
        "từ ngày 15/08/2022 đến ngày 17/08/2022",
        "Khảo sát nhu cầu hỗ trợ",
        "1. Xã Mường Hoong",
        "Cần nhân rộng mô hình bò sinh sản.",
        "Cần mô hình chăn nuôi trâu.",
        "Mô hình chăn nuôi trâu sinh sản",
        'id="doc-total">441.000.000<',
        "441.000.000 đồng (Bằng chữ: Bốn trăm bốn mươi mốt triệu đồng)",
    ]:
        assert expected in text, expected
    assert response.context["total"] == page.context["totals"]["planned"] == 441_000_000
    assert reverse("assistance:mission_report", args=[surveyed.pk]) in page.content.decode()


def test_a_commune_officer_reads_only_their_communes_part(client_of, muong_hoong_officer, surveyed):
    response = client_of(muong_hoong_officer).get(reverse("assistance:mission_report", args=[surveyed.pk]))
    text = response.content.decode()
    assert "Cần nhân rộng mô hình bò sinh sản." in text
    assert "Cần mô hình chăn nuôi trâu." not in text
    assert response.context["total"] == 221_000_000


@pytest.mark.parametrize("name", ["mission_report", "mission_report_pdf", "mission_xlsx"])
def test_an_outsider_gets_404_for_the_report(client_of, surveyed, name):
    from communes.models import Role
    from tests.fixtures import make_user

    outsider = make_user("outsider", Role.COMMUNE_OFFICER)
    assert client_of(outsider).get(reverse(f"assistance:{name}", args=[surveyed.pk])).status_code == 404


def test_the_report_pdf_is_a4_with_the_photo_and_vietnamese_intact(client_of, department_officer, surveyed):
    add_photo(surveyed)
    response = client_of(department_officer).get(reverse("assistance:mission_report_pdf", args=[surveyed.pk]))
    reader, text = pdf_text(response)
    assert page_size(reader.pages[0]) == A4_POINTS
    assert "BÁO CÁO" in text and "Kết quả khảo sát tại xã Mường Hoong, xã Ngọc Linh" in text
    assert "Ảnh 1: Làm việc tại UBND xã Mường Hoong" in text
    assert any("/XObject" in p["/Resources"] and p["/Resources"]["/XObject"] for p in reader.pages)


def test_the_report_tables_download_as_xlsx(client_of, department_officer, surveyed):
    response = client_of(department_officer).get(reverse("assistance:mission_xlsx", args=[surveyed.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    agreed = list(workbook["Nội dung thống nhất"].iter_rows(values_only=True))
    assert agreed[-1][0] == "Tổng cộng" and agreed[-1][-1] == 441_000_000
    assert len(list(workbook["Kết quả khảo sát"].iter_rows())) == 3


def test_a_photo_is_uploaded_and_shown_only_in_scope(
    client_of, department_officer, other_commune_officer, surveyed
):
    from communes.models import Role
    from tests.fixtures import make_user

    client = client_of(department_officer)
    upload = SimpleUploadedFile("anh.png", image_bytes(), content_type="image/png")
    response = client.post(
        reverse("assistance:mission_photo_add", args=[surveyed.pk]), {"image": upload, "caption": "Họp thôn"}
    )
    assert response.status_code == 302
    photo = surveyed.photos.get()
    assert photo.uploaded_by == department_officer
    assert photo.image.name.startswith(f"missions/{surveyed.pk}/") and photo.image.name.endswith(".png")
    served = client.get(photo.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == photo.image.open("rb").read()
    outsider = make_user("outsider", Role.COMMUNE_OFFICER)
    assert client_of(outsider).get(photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("anh.png", b"not an image at all", "ảnh"),
        ("anh.gif", None, "JPEG, PNG hoặc WebP"),
    ],
)
def test_uploads_that_are_not_photos_are_refused(
    client_of, department_officer, surveyed, name, content, error
):
    if content is None:
        content = image_bytes("GIF")
    response = client_of(department_officer).post(
        reverse("assistance:mission_photo_add", args=[surveyed.pk]),
        {"image": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert not surveyed.photos.exists()
    assert error in response.content.decode()


def test_photos_over_the_size_limit_are_refused(client_of, department_officer, surveyed, monkeypatch):
    monkeypatch.setattr("assistance.forms.PHOTO_MAX_BYTES", 100)
    response = client_of(department_officer).post(
        reverse("assistance:mission_photo_add", args=[surveyed.pk]),
        {"image": SimpleUploadedFile("anh.png", image_bytes(size=(200, 200)))},
    )
    assert response.status_code == 200 and not surveyed.photos.exists()


def png_declaring(width, height) -> bytes:
    """A valid PNG of a few bytes whose header declares `width` × `height` grey pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def test_a_photo_declaring_more_pixels_than_a_camera_takes_is_refused(
    client_of, department_officer, surveyed
):
    """Pillow only warns below 179 megapixels; decoding an 81-megapixel photo for the report PDF would
    take hundreds of MB."""
    response = client_of(department_officer).post(
        reverse("assistance:mission_photo_add", args=[surveyed.pk]),
        {"image": SimpleUploadedFile("anh.png", png_declaring(9_000, 9_000))},
    )
    assert response.status_code == 200 and not surveyed.photos.exists()
    assert "9000 × 9000 điểm ảnh; giới hạn là 60 megapixel" in response.content.decode()


def test_a_viewer_cannot_add_photos(client_of, viewer, surveyed):
    assert (
        client_of(viewer).get(reverse("assistance:mission_photo_add", args=[surveyed.pk])).status_code == 403
    )


# session, user, profile (3), mission, mission with leader, visited communes, findings, plans with
# progress and their activities (2), staff members, photos, the issuer's fallback (1).
MISSION_REPORT_QUERIES = 12


def test_the_report_runs_the_same_queries_whatever_the_data(
    client_of, department_officer, surveyed, line, django_assert_num_queries
):
    client = client_of(department_officer)
    url = reverse("assistance:mission_report", args=[surveyed.pk])
    with django_assert_num_queries(MISSION_REPORT_QUERIES):
        client.get(url)
    for plan in surveyed.plans.all():
        for number in range(5):
            line(plan, by=department_officer, title=f"Tờ rơi {number}", amount=1_000_000)
    add_photo(surveyed)
    add_photo(surveyed, caption="Thăm hộ nghèo")
    with django_assert_num_queries(MISSION_REPORT_QUERIES):
        response = client.get(url)
    assert len(response.context["photos"]) == 2
