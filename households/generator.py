"""The households of a generated province (`manage.py generate_province`, see scenario/generator.py):
people with names, sexes, birth years and citizen IDs, memberships, and for every year a decided
review whose income drifts around the poverty line, with a certificate for each poor and near-poor
household. Written through `core.generation.BulkTable`."""

import datetime

from django.utils import timezone

from communes.models import Commune
from core.generation import BulkTable, Run, reset_sequences
from core.text import fold
from households import poverty, procedure
from households.models import (
    Certificate,
    Deprivation,
    Household,
    HouseholdReview,
    Member,
    Person,
    ReviewRound,
    is_ethnic_minority,
)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "A", "Y", "Hồ", "Đinh", "Rơ Châm", "Hà", "Lò", "Vi", "Triệu"]
MIDDLE_MALE = ["Văn", "Đức", "Hữu", "Minh", "Thanh", ""]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Minh", ""]
GIVEN = [
    "Hùng",
    "Lan",
    "Mai",
    "Bình",
    "Dũng",
    "Hoa",
    "Khâm",
    "Blong",
    "Rin",
    "Thắm",
    "Tuấn",
    "Hương",
    "Nguyên",
    "Phiên",
    "Vương",
    "Lệ",
    "Sang",
    "Quý",
    "Thảo",
    "Yên",
]
ETHNICITIES = ["Xơ Đăng", "Giẻ Triêng", "Kinh", "Ba Na", "Gia Rai", "Hrê", "Mường", "Thái"]
LIVELIHOODS = ["agriculture"] * 6 + ["forestry"] * 2 + ["wage_work"] * 2 + ["trade", "other"]


def _name(run: Run, female: bool) -> str:
    middle = run.random.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    return " ".join(p for p in (run.random.choice(FAMILY), middle, run.random.choice(GIVEN)) if p)


def _citizen_id_prefix(province_code: str) -> str:
    """Citizen IDs start with a province code (001–096): one per generated province, so they stay unique."""
    return f"{int(''.join(filter(str.isdigit, province_code)) or 0) % 96 + 1:03d}"


def generate_households(run: Run, communes: list[Commune], *, households: int, province_code: str):
    """Households of about equal size per commune, each with members and a decided review per year."""
    now = timezone.now()
    id_prefix = _citizen_id_prefix(province_code)
    standard = poverty.STANDARDS["decree_07_2021"]
    indicators = standard.indicator_keys
    household_table = BulkTable(
        Household,
        [
            "commune",
            "village",
            "code",
            "head_name",
            "head_name_folded",
            "address",
            "area_type",
            "ethnicity",
            "main_livelihood",
            "registered_on",
            "ended_on",
            "created_at",
            "updated_at",
        ],
    )
    people = BulkTable(
        Person,
        [
            "full_name",
            "full_name_folded",
            "sex",
            "birth_year",
            "citizen_id",
            "health_insurance_card",
            "school",
            "employment",
        ],
    )
    members = BulkTable(Member, ["household", "person", "relation", "joined_on", "left_on"])
    reviews = BulkTable(
        HouseholdReview,
        [
            "round",
            "household",
            "monthly_income_per_person",
            "a_points",
            "computed_category",
            "final_category",
            "final_reason",
            "category",
            "counting_year",
            "evidence",
            "ethnic_minority",
            "no_working_capacity",
            "meritorious",
            "surveyed_on",
            "surveyed_by",
            "final_set_by",
        ],
    )
    deprivations = BulkTable(Deprivation, ["review", "indicator"])
    certificates = BulkTable(Certificate, ["review", "commune", "year", "number", "issued_on"])
    per_commune = households // len(communes)
    serial = 0
    for number, commune in enumerate(communes, start=1):
        villages = list(commune.villages.values_list("id", flat=True))
        rounds = {
            year: ReviewRound.objects.create(
                commune=commune,
                year=year,
                list_year=procedure.list_year(ReviewRound.Kind.PERIODIC, year),
                standard=standard.key,
                state=ReviewRound.State.REPORTED,
                posting_ends_on=datetime.date(year, 11, 20),
                decided_on=datetime.date(year, 12, 10),
                decision_number=f"{100 + year % 100}/QĐ-UBND",
            )
            for year in run.years
        }
        certified = dict.fromkeys(run.years, 0)  # the last certificate number of each year's decision
        line = standard.income_lines[commune.area_type]
        for h in range(per_commune):
            female_head = run.random.random() < 0.2
            head = _name(run, female_head)
            household_id = household_table.add(
                commune.id,
                run.random.choice(villages),
                f"{h + 1:05d}",
                head,
                fold(head),
                "",
                commune.area_type,
                (ethnicity := run.random.choice(ETHNICITIES)),
                run.random.choice(LIVELIHOODS),
                None,
                None,
                now,
                now,
            )
            size = run.random.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8])
            for m in range(size):
                female = female_head if m == 0 else run.random.random() < 0.5
                born = run.random.randint(1950, 2000) if m < 2 else run.random.randint(1995, 2024)
                full_name = head if m == 0 else _name(run, female)
                serial += 1
                citizen = ""
                if born <= 2010 and run.random.random() < 0.6:
                    century = (0 if born < 2000 else 2) + (1 if female else 0)
                    citizen = f"{id_prefix}{century}{born % 100:02d}{serial % 1_000_000:06d}"
                person_id = people.add(
                    full_name,
                    fold(full_name),
                    "female" if female else "male",
                    born,
                    citizen,
                    "",
                    "n/a",
                    "self_employed" if 15 <= 2025 - born <= 60 else "not_working_age",
                )
                relation = "head" if m == 0 else "spouse" if m == 1 else "child"
                members.add(household_id, person_id, relation, None, None)
            # A household's fortune: income around the line, drifting up over the years.
            wealth = run.random.lognormvariate(0, 0.45)
            for year in run.years:
                wealth *= run.random.uniform(0.95, 1.2)
                income = int(line * wealth / 1000) * 1000
                deprived = run.random.sample(
                    indicators, k=min(len(indicators), run.random.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]))
                )
                category = poverty.classify(standard, commune.area_type, income, deprived).category
                review_id = reviews.add(
                    rounds[year].id,
                    household_id,
                    income,
                    None,
                    category,
                    "",
                    "",
                    category,
                    rounds[year].list_year,  # the only decided review of those lists: it counts
                    "",
                    is_ethnic_minority(ethnicity),
                    False,
                    False,
                    datetime.date(year, 10, 1),
                    None,
                    None,
                )
                for key in deprived:
                    deprivations.add(review_id, key)
                if category in (poverty.POOR, poverty.NEAR_POOR):
                    certified[year] += 1
                    certificates.add(
                        review_id,
                        commune.id,
                        rounds[year].list_year,
                        certified[year],
                        rounds[year].decided_on,
                    )
        if number % max(1, len(communes) // 20) == 0 or number == len(communes):
            done = round(20 * number / len(communes))
            run.say(
                f"[{'#' * done}{'.' * (20 - done)}] {number}/{len(communes)} communes: "
                f"{household_table.next_id - 1:,} households …"
            )
    for table in (household_table, people, members, reviews, deprivations, certificates):
        table.flush()
        run.counts[table.model._meta.model_name] = table.written
    reset_sequences([Household, Person, Member, HouseholdReview, Deprivation, Certificate])
    run.counts["reviewround"] = len(communes) * len(run.years)
    run.say(
        f"{household_table.written:,} households, {people.written:,} people, {reviews.written:,} reviews, "
        f"{deprivations.written:,} deprivations"
    )
