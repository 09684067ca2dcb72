"""A realistic, seeded province for measuring the pages at scale (`manage.py generate_province`).

Households, people, memberships, reviews and deprivations are the big tables: they are written with
ids assigned here, by COPY on PostgreSQL (psycopg 3) and by executemany on SQLite, without building
model instances. The smaller tables go through bulk_create. Same seed, same province.
"""

import datetime
import random
import time
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from assistance.models import Activity, Assignment, Beneficiary, FollowUp, Participant, Plan, Spending
from communes.models import AreaType, Commune, District, Organisation, Province, Village
from core.text import fold
from households import poverty
from households.models import Category, Deprivation, Household, HouseholdReview, Member, Person, ReviewRound

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
BATCH = 20_000


class BulkTable:
    """Rows of one model's table, with ids taken from the table's current maximum."""

    def __init__(self, model: type[models.Model], fields: list[str]):
        self.model = model
        self.fields = fields
        self.columns = ["id", *(model._meta.get_field(name).column for name in fields)]
        self.next_id = (model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *values) -> int:
        row_id = self.next_id
        self.next_id += 1
        self.rows.append((row_id, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return row_id

    def flush(self):
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})", [_sqlite(r) for r in self.rows]
                )
        self.written += len(self.rows)
        self.rows = []


def _sqlite(row):
    return tuple(
        value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, datetime.datetime)
        else value.isoformat()
        if isinstance(value, datetime.date)
        else value
        for value in row
    )


def _reset_sequences(models_written):
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_written):
            cursor.execute(sql)


class ProvinceGenerator:
    def __init__(
        self,
        *,
        communes: int,
        households: int,
        years: int,
        seed: int,
        code: str,
        progress: Callable[[str], None],
    ):
        self.commune_count = communes
        self.household_count = households
        self.years = list(range(2026 - years, 2026))  # reviews of the last `years` years, up to 2025
        self.random = random.Random(seed)
        self.code = code
        # Citizen IDs start with a province code (001–096): one per generated province, so they stay unique.
        self.id_prefix = f"{int(''.join(filter(str.isdigit, code)) or 0) % 96 + 1:03d}"
        self.progress = progress
        self.started = time.monotonic()
        self.counts: dict[str, int] = {}

    def say(self, text: str):
        self.progress(f"[{time.monotonic() - self.started:6.1f} s] {text}")

    def name(self, female: bool) -> str:
        middle = self.random.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        return " ".join(p for p in (self.random.choice(FAMILY), middle, self.random.choice(GIVEN)) if p)

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            communes = self.geography()
            self.households_and_reviews(communes)
            self.assistance(communes)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes the tables as empty; outside a transaction also
            # the visibility map that index-only scans need, as on a database that has settled.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.say("done")
        return self.counts

    def geography(self) -> list[Commune]:
        province = Province.objects.create(code=self.code, name=f"Tỉnh thử nghiệm {self.code}")
        district_count = max(1, self.commune_count // 10)
        districts = District.objects.bulk_create(
            District(code=f"{self.code}{d:03d}", name=f"Huyện {d + 1}", province=province)
            for d in range(district_count)
        )
        communes = Commune.objects.bulk_create(
            Commune(
                code=f"{self.code}{c:04d}",
                name=f"Xã {c + 1:03d}",
                province=province,
                district=districts[c % district_count],
                area_type=AreaType.URBAN if c % 12 == 0 else AreaType.RURAL,
                kind=Commune.Kind.WARD if c % 12 == 0 else Commune.Kind.COMMUNE,
                extremely_disadvantaged=c % 3 == 0,
                ethnic_minority_area=c % 2 == 0,
            )
            for c in range(self.commune_count)
        )
        Village.objects.bulk_create(
            Village(commune=commune, name=f"Thôn {v + 1}") for commune in communes for v in range(8)
        )
        self.counts.update(communes=len(communes), districts=len(districts), villages=8 * len(communes))
        self.say(f"{len(communes)} communes in {len(districts)} districts, {8 * len(communes)} villages")
        return communes

    def households_and_reviews(self, communes: list[Commune]):
        now = timezone.now()
        standard = poverty.STANDARDS["decree_07_2021"]
        indicators = standard.indicator_keys
        households = BulkTable(
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
                "surveyed_on",
                "surveyed_by",
                "final_set_by",
            ],
        )
        deprivations = BulkTable(Deprivation, ["review", "indicator"])
        per_commune = self.household_count // len(communes)
        serial = 0
        for number, commune in enumerate(communes, start=1):
            villages = list(commune.villages.values_list("id", flat=True))
            rounds = {
                year: ReviewRound.objects.create(
                    commune=commune,
                    year=year,
                    standard=standard.key,
                    state=ReviewRound.State.REPORTED,
                    posting_ends_on=datetime.date(year, 11, 20),
                    decided_on=datetime.date(year, 12, 10),
                )
                for year in self.years
            }
            line = standard.income_lines[commune.area_type]
            for h in range(per_commune):
                female_head = self.random.random() < 0.2
                head = self.name(female_head)
                household_id = households.add(
                    commune.id,
                    self.random.choice(villages),
                    f"{h + 1:05d}",
                    head,
                    fold(head),
                    "",
                    commune.area_type,
                    self.random.choice(ETHNICITIES),
                    self.random.choice(LIVELIHOODS),
                    None,
                    None,
                    now,
                    now,
                )
                size = self.random.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8])
                for m in range(size):
                    female = female_head if m == 0 else self.random.random() < 0.5
                    born = self.random.randint(1950, 2000) if m < 2 else self.random.randint(1995, 2024)
                    full_name = head if m == 0 else self.name(female)
                    serial += 1
                    citizen = ""
                    if born <= 2010 and self.random.random() < 0.6:
                        century = (0 if born < 2000 else 2) + (1 if female else 0)
                        citizen = f"{self.id_prefix}{century}{born % 100:02d}{serial % 1_000_000:06d}"
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
                wealth = self.random.lognormvariate(0, 0.45)
                for year in self.years:
                    wealth *= self.random.uniform(0.95, 1.2)
                    income = int(line * wealth / 1000) * 1000
                    deprived = self.random.sample(
                        indicators, k=min(len(indicators), self.random.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]))
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
                        year,  # the only decided review of its year: it counts
                        "",
                        datetime.date(year, 10, 1),
                        None,
                        None,
                    )
                    for key in deprived:
                        deprivations.add(review_id, key)
            if number % max(1, len(communes) // 20) == 0 or number == len(communes):
                done = round(20 * number / len(communes))
                self.say(
                    f"[{'#' * done}{'.' * (20 - done)}] {number}/{len(communes)} communes: "
                    f"{households.next_id - 1:,} households …"
                )
        for table in (households, people, members, reviews, deprivations):
            table.flush()
            self.counts[table.model._meta.model_name] = table.written
        _reset_sequences([Household, Person, Member, HouseholdReview, Deprivation])
        self.counts["reviewround"] = len(communes) * len(self.years)
        self.say(
            f"{households.written:,} households, {people.written:,} people, {reviews.written:,} reviews, "
            f"{deprivations.written:,} deprivations"
        )

    def assistance(self, communes: list[Commune]):
        organisation = Organisation.objects.filter(is_home=True).first() or Organisation.objects.create(
            full_name="Sở Nông nghiệp và Môi trường (thử nghiệm)", is_home=True
        )
        first, last = self.years[0], self.years[-1]
        for commune in communes:
            assignment = Assignment.objects.create(organisation=organisation, from_year=first, to_year=last)
            assignment.communes.add(commune)
        plans = Plan.objects.bulk_create(
            Plan(
                commune=commune,
                organisation=organisation,
                title=f"Kế hoạch hỗ trợ {commune.name} {year}",
                from_year=year,
                to_year=year,
                state=Plan.State.APPROVED,
                version=1,
                approved_on=datetime.date(year, 3, 1),
            )
            for commune in communes
            for year in self.years
        )
        kinds = [
            Activity.Kind.TRAINING_CLASS,
            Activity.Kind.INSPECTION,
            Activity.Kind.LIVELIHOOD_MODEL,
            Activity.Kind.JOB_CONFERENCE,
            Activity.Kind.COMMUNICATION,
            Activity.Kind.OTHER,
        ]
        activities = Activity.objects.bulk_create(
            Activity(
                plan=plan,
                position=i + 1,
                kind=kinds[i % len(kinds)],
                title=f"Hoạt động {i + 1}",
                planned_quantity=1,
                quantity_unit="lớp",
                planned_amount=self.random.randint(10, 250) * 1_000_000,
                planned_on=datetime.date(plan.from_year, 1 + i, 15),
                funding_source="central",
                status=Activity.Status.DONE if i % 3 == 0 else Activity.Status.PLANNED,
            )
            for plan in plans
            for i in range(8)
        )
        Spending.objects.bulk_create(
            Spending(
                activity=a,
                spent_on=a.planned_on,
                amount=a.planned_amount * self.random.randint(40, 100) // 100,
                voucher_number=f"PC-{a.id}",
            )
            for a in activities
            if a.status == Activity.Status.DONE
        )
        models_by_commune = {}
        for activity in activities:
            if activity.kind == Activity.Kind.LIVELIHOOD_MODEL:
                models_by_commune.setdefault(activity.plan.commune_id, []).append(activity)
        beneficiaries, follow_ups, participants = [], [], []
        for commune in communes:
            poor = list(
                Household.objects.filter(
                    commune=commune, reviews__round__year=first, reviews__category=Category.POOR
                ).values_list("id", flat=True)[:40]
            )
            for activity in models_by_commune.get(commune.id, []):
                for household_id in poor[:10]:
                    beneficiaries.append(
                        Beneficiary(
                            activity=activity,
                            household_id=household_id,
                            enrolled_on=activity.planned_on,
                            category_when_enrolled="poor",
                        )
                    )
                follow_ups.append(
                    FollowUp(
                        activity=activity,
                        visited_on=activity.planned_on + datetime.timedelta(90),
                        animals_alive=10,
                        animals_born=2,
                        animals_passed_on=0,
                    )
                )
        Beneficiary.objects.bulk_create(beneficiaries)
        FollowUp.objects.bulk_create(follow_ups)
        member_ids = list(
            Member.objects.filter(relation="head").values_list("id", flat=True)[: 30 * len(communes)]
        )
        conferences = [a for a in activities if a.kind == Activity.Kind.JOB_CONFERENCE]
        for index, member_id in enumerate(member_ids):
            participants.append(
                Participant(activity=conferences[index % len(conferences)], member_id=member_id)
            )
        Participant.objects.bulk_create(participants, ignore_conflicts=True)
        self.counts.update(
            plans=len(plans),
            activities=len(activities),
            beneficiaries=len(beneficiaries),
            participants=len(participants),
        )
        self.say(
            f"{len(plans)} plans, {len(activities)} activities, {len(beneficiaries)} beneficiaries, "
            f"{len(participants)} conference participants"
        )
