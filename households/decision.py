"""The commune chairman's decision recognising a round's lists, with its three annexes, and the
certificates of the poor and near-poor households it recognises (DOMAIN.md §4 step 5, §4a).

The wording of both papers is in DECISION_WORDING and CERTIFICATE_WORDING only: the templates of
Decision 24/2021/QĐ-TTg and Circular 07/2021/TT-BLĐTBXH are still to confirm word for word.
"""

from communes.models import today
from core import documents
from households import poverty, procedure
from households.access import citizen_id_as_shown
from households.models import Certificate, Relation, ReviewRound
from households.recognition import listed_members, recognition_lists

DECISION_SYMBOL = "QĐ-UBND"

# The decision's wording (to confirm against the templates of Decision 24/2021 and Circular 07/2021).
# "{…}" are filled in by `decision_context`.
DECISION_WORDING = {
    "kind": "Quyết định",
    "subject": (
        "Về việc công nhận danh sách hộ nghèo, hộ cận nghèo; hộ thoát nghèo, hộ thoát cận nghèo năm {year}"
    ),
    "draft": "Dự thảo",
    "authority": "Chủ tịch Ủy ban nhân dân {unit}",
    # The Law on local government organisation in force on the decision's day.
    "law_until_2025": (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
        "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
        "11 năm 2019;"
    ),
    "law_since_2025": "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "bases": (
        "Căn cứ Nghị định số 07/2021/NĐ-CP ngày 27 tháng 01 năm 2021 của Chính phủ quy định chuẩn "
        "nghèo đa chiều giai đoạn 2021 - 2025;",
        "Căn cứ Quyết định số 24/2021/QĐ-TTg ngày 16 tháng 7 năm 2021 của Thủ tướng Chính phủ quy định "
        "quy trình rà soát hộ nghèo, hộ cận nghèo hằng năm và quy trình xác định hộ làm nông nghiệp, "
        "lâm nghiệp, ngư nghiệp, diêm nghiệp có mức sống trung bình giai đoạn 2021 - 2025;",
        "Căn cứ Thông tư số 07/2021/TT-BLĐTBXH ngày 18 tháng 7 năm 2021 của Bộ trưởng Bộ Lao động - "
        "Thương binh và Xã hội hướng dẫn phương pháp rà soát, phân loại hộ nghèo, hộ cận nghèo; xác "
        "định thu nhập của hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp, diêm nghiệp có mức sống trung "
        "bình giai đoạn 2021 - 2025 và mẫu biểu báo cáo;",
    ),
    # Before the two-level government (1/7/2025) the commune asked the district chairman first.
    "district_opinion": "Căn cứ ý kiến của Chủ tịch Ủy ban nhân dân huyện {district};",
    "proposal": "Xét đề nghị của Ban Chỉ đạo rà soát hộ nghèo, hộ cận nghèo {unit}.",
    "decides": "Quyết định:",
    "article_1": (
        "Công nhận danh sách hộ nghèo, hộ cận nghèo; hộ thoát nghèo, hộ thoát cận nghèo năm {year} trên "
        "địa bàn {unit}, cụ thể:"
    ),
    "article_1_lists": {
        poverty.POOR_AND_NEAR_POOR_LIST: (
            "Danh sách hộ nghèo, hộ cận nghèo: {count} hộ, trong đó {poor} hộ nghèo, {near_poor} hộ cận "
            "nghèo (Phụ lục {annex} kèm theo);"
        ),
        poverty.ESCAPED_POVERTY_LIST: "Danh sách hộ thoát nghèo: {count} hộ (Phụ lục {annex} kèm theo);",
        poverty.ESCAPED_NEAR_POVERTY_LIST: (
            "Danh sách hộ thoát cận nghèo: {count} hộ (Phụ lục {annex} kèm theo)."
        ),
    },
    "article_2": "Quyết định này có hiệu lực kể từ ngày ký.",
    "article_3": (
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {unit}, công chức Văn hóa - Xã hội, Trưởng các "
        "thôn, làng và các hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
    ),
    "recipients_until_2025": ("Như Điều 3;", "UBND huyện {district} (b/c);", "Lưu: VT."),
    "recipients_since_2025": ("Như Điều 3;", "UBND tỉnh {province} (b/c);", "Lưu: VT."),
    "signer_title": "Chủ tịch",
    "annex": "Phụ lục {number}",
    "annex_of": "(Kèm theo Quyết định số {number} ngày {date} của Chủ tịch Ủy ban nhân dân {unit})",
    "annexes": {
        poverty.POOR_AND_NEAR_POOR_LIST: "Danh sách hộ nghèo, hộ cận nghèo năm {year}",
        poverty.ESCAPED_POVERTY_LIST: "Danh sách hộ thoát nghèo năm {year}",
        poverty.ESCAPED_NEAR_POVERTY_LIST: "Danh sách hộ thoát cận nghèo năm {year}",
    },
    "annex_columns": (
        "TT",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Năm sinh",
        "Giới tính",
        "Dân tộc",
        "Số định danh cá nhân",
        "Phân loại hộ",
        "Điểm",
        "Đặc điểm hộ",
        "Nguyên nhân nghèo",
    ),
    "no_household": "Không có hộ nào.",
}

# The certificate's wording (to confirm: the "Số …/GCN-HN.HCN" template); its number is
# models.facts.CERTIFICATE_NUMBER_FORMAT.
CERTIFICATE_WORDING = {
    "kind": "Giấy chứng nhận",
    "subject": "Hộ nghèo, hộ cận nghèo năm {year}",
    "certifies": "Chủ tịch Ủy ban nhân dân {unit} chứng nhận:",
    "head": "Hộ gia đình ông (bà)",
    "ethnicity": "Dân tộc",
    "citizen_id": "Số định danh cá nhân",
    "residence": "Nơi cư trú",
    "is_category": (
        "Là {category} năm {year} theo Quyết định số {number} ngày {date} của Chủ tịch Ủy ban nhân "
        "dân {unit}."
    ),
    "members": "Danh sách thành viên hộ gia đình",
    "columns": ("TT", "Họ và tên", "Dân tộc", "Quan hệ với chủ hộ", "Năm sinh", "Ghi chú"),
    "birth_columns": ("Nam", "Nữ"),
    "signer_on_behalf": "TM. Ủy ban nhân dân",
    "signer_title": "Chủ tịch",
}
CATEGORY_WORDS = {poverty.POOR: "hộ nghèo", poverty.NEAR_POOR: "hộ cận nghèo"}


def _asks_district(review_round: ReviewRound) -> bool:
    return procedure.State.DISTRICT_OPINION in review_round.procedure.steps()


def _shown_ids(reviews, user) -> None:
    """Each listed member's ID number as documents show it: masked at most, none to viewers."""
    for review in reviews:
        for member in review.household.listed_members:
            member.shown_id = citizen_id_as_shown(user, member.person.citizen_id, masked_at_most=True) or ""


def _common(review_round: ReviewRound) -> dict:
    commune = review_round.commune
    issuer = documents.commune_committee(commune)
    decided = review_round.decided_on
    number = documents.document_number(review_round.decision_number, DECISION_SYMBOL)
    return {
        "round": review_round,
        "issuer": issuer,
        "unit": issuer["unit"],
        "year": review_round.list_year,
        "decision_number": number,
        "decision_date": decided.strftime("%d/%m/%Y") if decided else documents.BLANK * 2,
        "place_date": documents.place_and_date(commune.name, decided)
        if decided
        else documents.undated(commune.name, review_round.year),
        "signer_name": review_round.decision_signer,
    }


def decision_context(review_round: ReviewRound, user) -> dict:
    """The decision, its articles and its three annexes; 4 queries whatever the number of households
    (see `recognition_lists(with_members=True)`)."""
    common = _common(review_round)
    unit, year = common["unit"], common["year"]
    district_name = review_round.commune.district.name if review_round.commune.district else ""
    asks_district = _asks_district(review_round)
    words = DECISION_WORDING
    lists = recognition_lists(review_round, with_members=True)
    annexes = []
    for number, entry in enumerate(lists, start=1):
        _shown_ids(entry.reviews, user)
        categories = [review.category for review in entry.reviews]
        counts = {
            "count": len(entry.reviews),
            "poor": categories.count(poverty.POOR),
            "near_poor": categories.count(poverty.NEAR_POOR),
        }
        if not review_round.is_decided:  # a draft: the lists are made with the decision
            counts = dict.fromkeys(counts, documents.BLANK)
        annexes.append(
            {
                "key": entry.key,
                "number": words["annex"].format(number=documents.roman(number)),
                "title": words["annexes"][entry.key].format(year=year),
                "article": words["article_1_lists"][entry.key].format(
                    **counts, annex=documents.roman(number)
                ),
                "reviews": entry.reviews,
            }
        )
    signed_on = review_round.decided_on or today()
    law = "law_until_2025" if signed_on < procedure.TWO_LEVEL_GOVERNMENT_FROM else "law_since_2025"
    bases = [words[law], *words["bases"]]
    if asks_district:
        bases.append(words["district_opinion"].format(district=district_name))
    recipients = words["recipients_until_2025" if asks_district else "recipients_since_2025"]
    # The province is read only where the decision reports to it (one query, after 1/7/2025).
    province_name = "" if asks_district else review_round.commune.province.name
    return {
        **common,
        "words": words,
        "is_draft": not review_round.is_decided,
        "subject": words["subject"].format(year=year),
        "authority": words["authority"].format(unit=unit),
        "bases": bases,
        "proposal": words["proposal"].format(unit=unit),
        "article_1": words["article_1"].format(year=year, unit=unit),
        "article_3": words["article_3"].format(unit=unit),
        "recipients": [line.format(district=district_name, province=province_name) for line in recipients],
        "annex_of": words["annex_of"].format(
            number=common["decision_number"], date=common["decision_date"], unit=unit
        ),
        "annexes": annexes,
        "show_ids": citizen_id_as_shown(user) is not None,
        "signer_on_behalf": "",
        "signer_title": words["signer_title"],
    }


def certificates_of(review_round: ReviewRound, user, *, review_pk: int | None = None) -> list[Certificate]:
    """The certificates the round's decision issued (or the one of a review), in number order, with
    each household's members on the decision's day; 2 queries whatever their number (none before
    the decision, which issues them)."""
    if not review_round.is_decided:
        return []
    certificates = (
        Certificate.objects.filter(review__round=review_round)
        .select_related("review__household__village")
        .prefetch_related(listed_members(review_round.decided_on, "review__household__members"))
        .order_by("number")
    )
    if review_pk is not None:
        certificates = certificates.filter(review=review_pk)
    certificates = list(certificates)
    _shown_ids([certificate.review for certificate in certificates], user)
    return certificates


def certificates_context(review_round: ReviewRound, certificates, user) -> dict:
    common = _common(review_round)
    words = CERTIFICATE_WORDING
    unit, year = common["unit"], common["year"]
    for certificate in certificates:
        household = certificate.review.household
        head = next((m for m in household.listed_members if m.relation == Relation.HEAD), None)
        certificate.head_id = head.shown_id if head else ""
        certificate.statement = words["is_category"].format(
            category=CATEGORY_WORDS.get(certificate.review.category, ""),
            year=year,
            number=common["decision_number"],
            date=common["decision_date"],
            unit=unit,
        )
    return {
        **common,
        "words": words,
        "certificates": certificates,
        "subject": words["subject"].format(year=year),
        "certifies": words["certifies"].format(unit=unit),
        "show_ids": citizen_id_as_shown(user) is not None,
        "signer_on_behalf": words["signer_on_behalf"],
        "signer_title": words["signer_title"],
    }
