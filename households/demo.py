"""Demo households of Mường Hoong and Ngọc Linh (the communes before the 2025 merger), with members and
the decided periodic reviews of late 2021 to late 2024, which make the lists of 2022 to 2025 (the
mission of August 2022 worked from the first); on 1/7/2025 the households are carried over to the
merged Xã Ngọc Linh, whose first periodic review, of late 2025, makes the lists of 2026. All of it made
through the same services as the pages.

Figures are invented but believable for two very poor mountain communes: about half the households
poor in the lists of 2022, fewer in 2023, with some households moving between categories. Every draw
comes from a random generator seeded by the household's code, so running the seed again changes
nothing.
"""

import datetime
import random

from django.contrib.auth import get_user_model

from communes import demo as communes_demo
from communes.models import Commune, Profile, Role
from households import application_services, meeting_services, poverty, request_services, services
from households.merger_services import carried_code, carry_households_over
from households.models import (
    Attendee,
    CauseOfPoverty,
    Complaint,
    Household,
    Member,
    Person,
    ReviewRequest,
    ReviewRound,
    StatusApplication,
    SupportKind,
    VillageMeeting,
    is_ethnic_minority,
)

HOUSEHOLDS_PER_VILLAGE = 14
LIST_YEARS = (2022, 2023, 2024, 2025)  # made by the old communes' periodic reviews of late 2021 to 2024
MERGED_LIST_YEAR = 2026  # made by the merged commune's first periodic review, of late 2025
ETHNICITY = "Xơ Đăng"
MALE_NAMES = [
    "Phiên",
    "Lâm",
    "Tuấn",
    "Hùng",
    "Blong",
    "Dũng",
    "Khăm",
    "Nguyên",
    "Thiết",
    "Vương",
    "Hiếu",
    "Ríu",
]
FEMALE_NAMES = ["Nhung", "Hoa", "Lệ", "Thảo", "Blin", "Mai", "Loan", "Hiên", "Nga", "Xuân", "Hằng", "Pưa"]
# The 2022 lists' categories drawn with these weights, then the next lists' from the previous one.
FIRST_YEAR = {poverty.POOR: 50, poverty.NEAR_POOR: 20, poverty.AVERAGE: 18, poverty.NOT_POOR: 12}
NEXT_YEAR = {
    poverty.POOR: {poverty.POOR: 78, poverty.NEAR_POOR: 12, poverty.AVERAGE: 10},
    poverty.NEAR_POOR: {poverty.POOR: 7, poverty.NEAR_POOR: 68, poverty.AVERAGE: 25},
    poverty.AVERAGE: {poverty.NEAR_POOR: 8, poverty.AVERAGE: 80, poverty.NOT_POOR: 12},
    poverty.NOT_POOR: {poverty.AVERAGE: 10, poverty.NOT_POOR: 90},
}
# Answers that give each category: income range (đồng per person per month) and deprivation count.
ANSWERS = {
    poverty.POOR: ((600_000, 1_500_000), (3, 6)),
    poverty.NEAR_POOR: ((800_000, 1_500_000), (0, 2)),
    poverty.AVERAGE: ((1_510_000, 2_250_000), (0, 3)),
    poverty.NOT_POOR: ((2_260_000, 3_600_000), (0, 1)),
}
STEP_DATES = {  # the legal steps of the periodic review, within 1 September – 14 December
    ReviewRound.State.PREPARATION: (9, 5),
    ReviewRound.State.SURVEY: (9, 20),
    ReviewRound.State.VILLAGE_MEETING: (11, 8),
    ReviewRound.State.PUBLIC_POSTING: (11, 15),
    ReviewRound.State.DISTRICT_OPINION: (11, 28),  # before the two-level government
    ReviewRound.State.APPROVED: (12, 5),
    ReviewRound.State.REPORTED: (12, 12),
}
# The commune chairmen who sign the decisions recognising each year's lists (invented names): the
# old communes' (numbers 1xx/QĐ-UBND), then the merged commune's, which numbers its papers from 1/7/2025.
SIGNER = "Y Thị Hoa"
MERGED_SIGNER = "Đinh Văn Thiết"
MERGED_DECISION_NUMBER = "15/QĐ-UBND"
OFFICERS = {
    communes_demo.MUONG_HOONG["code"]: ("mh_canbo", "A Dũng", "Công chức Văn hóa - Xã hội xã Mường Hoong"),
    communes_demo.NGOC_LINH_OLD["code"]: ("nl_canbo", "Y Hoa", "Công chức Văn hóa - Xã hội xã Ngọc Linh"),
    communes_demo.NGOC_LINH_NEW["code"]: (
        "xnl_canbo",
        "Hồ Thị Lệ",
        "Công chức Văn hóa - Xã hội xã Ngọc Linh",
    ),
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def categories_of(code: str) -> dict[int, str]:
    """The household's category in each of the lists of LIST_YEARS and MERGED_LIST_YEAR."""
    rng = random.Random(f"path-{code}")
    path = {LIST_YEARS[0]: _pick(rng, FIRST_YEAR)}
    for year in (*LIST_YEARS[1:], MERGED_LIST_YEAR):
        path[year] = _pick(rng, NEXT_YEAR[path[year - 1]])
    return path


def demo_key(household: Household) -> str:
    """The seed of a household's draws: "commune code-household code", which a household carried over
    by the merger has as its code, so its path goes on from its old record's."""
    return household.code if household.carried_from_id else carried_code(household)


def answers_for(code: str, year: int, category: str) -> dict:
    rng = random.Random(f"answers-{code}-{year}")
    (low, high), (fewest, most) = ANSWERS[category]
    income = rng.randrange(low, high + 1, 10_000)
    deprived = rng.sample(list(poverty.DECREE_07_2021.indicator_keys), rng.randint(fewest, most))
    return {"monthly_income_per_person": income, "deprived": deprived}


def _citizen_id(serial: str, birth_year: int, female: bool) -> str:
    """Kon Tum's province code 062, sex and century, year of birth, then a serial unique in the demo."""
    century = 0 if birth_year < 2000 else 2
    return f"062{century + female}{birth_year % 100:02d}{serial}"


def _officer(commune: Commune):
    username, full_name, job_title = OFFICERS[commune.code]
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": full_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
        profile = Profile.objects.create(user=user, role=Role.COMMUNE_OFFICER, job_title=job_title)
        profile.communes.set([commune])
    return user


def _members(household: Household, rng: random.Random, officer) -> None:
    head_born = rng.randint(1962, 1998)
    people = [("head", False, head_born), ("spouse", True, head_born + rng.randint(-3, 4))]
    for _ in range(rng.randint(1, 5)):
        people.append(("child", rng.random() < 0.5, rng.randint(max(head_born + 18, 1985), 2021)))
    if rng.random() < 0.2:
        people.append(("parent", rng.random() < 0.6, head_born - rng.randint(20, 28)))
    for index, (relation, female, born) in enumerate(people):
        given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        name = household.head_name if relation == "head" else f"{'Y' if female else 'A'} {given}"
        adult = 2022 - born >= 14
        age = 2022 - born
        person = Person(
            full_name=name,
            sex="female" if female else "male",
            birth_year=born,
            citizen_id=_citizen_id(f"{household.commune.code[-1]}{household.code[1:]}{index}", born, female)
            if adult
            else "",
            health_insurance_card=f"DK2{rng.randrange(10**12):012d}" if rng.random() < 0.85 else "",
            school="attending"
            if 6 <= age < 16 and rng.random() < 0.9
            else ("not_attending" if 6 <= age < 16 else "n/a"),
            employment=(
                rng.choice(["self_employed", "self_employed", "employed_no_contract", "unemployed"])
                if 15 <= age < 60
                else "not_working_age"
            ),
        )
        services.add_member(household=household, person=person, relation=relation, by=officer)


def seed_households(commune: Commune, officer) -> list[Household]:
    households = []
    for village_index, village in enumerate(commune.villages.order_by("name"), start=1):
        for number in range(1, HOUSEHOLDS_PER_VILLAGE + 1):
            code = f"{village_index:02d}{number:03d}"
            rng = random.Random(f"household-{commune.code}-{code}")
            head_name = f"A {rng.choice(MALE_NAMES)} {rng.choice(MALE_NAMES)}"
            household, created = Household.objects.get_or_create(
                commune=commune,
                code=code,
                defaults={
                    "village": village,
                    "head_name": head_name,
                    "address": f"{village.name}, xã {commune.name}",
                    "area_type": commune.area_type,
                    "ethnicity": ETHNICITY if rng.random() < 0.95 else "Kinh",
                    "main_livelihood": rng.choice(["agriculture"] * 6 + ["forestry", "wage_work", "trade"]),
                },
            )
            if created:
                _members(household, rng, officer)
            households.append(household)
    return households


# The causes of poverty the demo draws from, the commonest first (as the province's reports list them).
DEMO_CAUSES = {
    CauseOfPoverty.CAPITAL: 6,
    CauseOfPoverty.SKILLS: 5,
    CauseOfPoverty.LAND: 4,
    CauseOfPoverty.MEANS: 3,
    CauseOfPoverty.NO_JOB: 2,
    CauseOfPoverty.ILLNESS: 2,
    CauseOfPoverty.DEPENDANTS: 2,
    CauseOfPoverty.LABOUR: 1,
}


def facts_for(household: Household, code: str, year: int, category: str) -> services.HouseholdFacts:
    """The household facts of a demo review, drawn from its own seed (the other draws do not move)."""
    rng = random.Random(f"facts-{code}-{year}")
    poor = category in (poverty.POOR, poverty.NEAR_POOR)
    causes = {_pick(rng, DEMO_CAUSES) for _ in range(rng.randint(1, 2))} if poor else set()
    supports = {SupportKind.HEALTH_INSURANCE} if poor else set()
    if poor and rng.random() < 0.4:
        supports.add(SupportKind.CREDIT)
    if poor and rng.random() < 0.2:
        supports.add(SupportKind.PRODUCTION)
    return services.HouseholdFacts(
        ethnic_minority=is_ethnic_minority(household.ethnicity),
        no_working_capacity=poor and rng.random() < 0.05,
        meritorious=rng.random() < 0.03,
        causes=tuple(sorted(causes)),
        supports=tuple(sorted(supports)),
    )


def hold_village_meetings(review_round: ReviewRound, *, by, on: datetime.date, present: int = 0) -> None:
    """A meeting in each village of the round awaiting one, on `on`, agreeing every result: `present`
    people (else a number drawn from the village's name), all but a few agreeing."""
    villages = {
        review.household.village for review in review_round.reviews.select_related("household__village")
    }
    for village in sorted(villages, key=lambda village: village.name):
        awaiting = meeting_services.reviews_awaiting_meeting(review_round, village)
        if not awaiting:
            continue
        draw = random.Random(f"{review_round.commune.code}-{village.name}-{review_round.year}")
        people = present or draw.randint(25, 60)
        meeting = VillageMeeting(
            round=review_round,
            village=village,
            held_on=on,
            chair_name=f"A {draw.choice(MALE_NAMES)}",
            secretary_name=f"Y {draw.choice(FEMALE_NAMES)}",
            attendees=Attendee.values,
            fatherland_front_invited=True,
            present=people,
            commune_copy_received_on=on,
        )
        agreeing = {review.pk: people - draw.randint(0, people // 5) for review in awaiting}
        meeting_services.record_meeting(meeting=meeting, agreeing=agreeing, by=by)


def seed_round(
    commune: Commune,
    list_year: int,
    households: list[Household],
    officer,
    *,
    decision_number: str = "",
    signer: str = SIGNER,
) -> None:
    """The periodic review held in late `list_year` − 1, which makes the lists of `list_year`, through
    the steps of its procedure (the district's opinion only before the two-level government); decided
    by `signer`'s decision `decision_number` (by default 1yy/QĐ-UBND, yy the year)."""
    year = list_year - 1
    if ReviewRound.objects.filter(commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC).exists():
        return
    State = ReviewRound.State

    def on(state):
        return datetime.date(year, *STEP_DATES[state])

    review_round = services.open_round(commune=commune, year=year, by=officer, on=on(State.PREPARATION))
    services.list_households(review_round=review_round, households=households, by=officer)
    services.move_round(review_round=review_round, to_state=State.SURVEY, by=officer, on=on(State.SURVEY))
    review_round.refresh_from_db()
    for review in review_round.reviews.select_related("household__commune", "round"):
        key = demo_key(review.household)
        category = categories_of(key)[list_year]
        services.record_survey(
            review=review,
            **answers_for(key, list_year, category),
            evidence="Phiếu B2 do rà soát viên thôn điền, chủ hộ ký xác nhận.",
            facts=facts_for(review.household, key, year, category),
            by=officer,
            on=on(State.SURVEY) + datetime.timedelta(days=review.household.pk % 30),
        )
    services.move_round(
        review_round=review_round,
        to_state=State.VILLAGE_MEETING,
        by=officer,
        on=on(State.VILLAGE_MEETING),
        note="Họp dân tại các thôn; trên 50% người tham dự thống nhất kết quả; có biên bản.",
    )
    review_round.refresh_from_db()
    hold_village_meetings(review_round, by=officer, on=on(State.VILLAGE_MEETING))
    # The meeting changed one household's category: a near-poor household with a long illness.
    changed = (
        review_round.reviews.filter(computed_category=poverty.NEAR_POOR).order_by("household__code").first()
    )
    if changed:
        services.set_final_category(
            review=changed,
            category=poverty.POOR,
            reason="Họp dân thống nhất: chủ hộ ốm nặng dài ngày, không còn khả năng lao động.",
            by=officer,
        )
    services.move_round(
        review_round=review_round,
        to_state=State.PUBLIC_POSTING,
        by=officer,
        on=on(State.PUBLIC_POSTING),
        note="Niêm yết tại trụ sở UBND xã và nhà văn hóa các thôn.",
    )
    # Before 1/7/2025 the commune asked the district chairman's opinion and reported to the district;
    # since, it decides and reports to the province.
    reported_to = (
        f"Chủ tịch UBND huyện {commune.district.name}"
        if commune.district
        else f"UBND tỉnh {commune.province.name}"
    )
    notes = {
        State.DISTRICT_OPINION: f"Báo cáo, xin ý kiến {reported_to}; huyện thống nhất kết quả.",
        State.APPROVED: "Chủ tịch UBND xã quyết định công nhận danh sách hộ nghèo, hộ cận nghèo.",
        State.REPORTED: f"Báo cáo {reported_to}.",
    }
    steps = review_round.procedure.steps()
    for state in steps[steps.index(State.PUBLIC_POSTING) + 1 :]:
        note = notes[state]
        decision = (
            {
                "decision_number": decision_number or f"{100 + year % 100}/QĐ-UBND",
                "decision_on": on(state),
                "decision_signer": signer,
            }
            if state == State.APPROVED
            else {}
        )
        services.move_round(
            review_round=review_round, to_state=state, by=officer, on=on(state), note=note, **decision
        )


def seed_farm_average(commune: Commune, households: list[Household], officer) -> None:
    """Two applications in 2022 from farm households of average living standard, taken up by the
    monthly review of 15 August, posted for 5 working days and recognised by the chairman."""
    candidates = [
        h
        for h in households
        if h.is_farm and categories_of(f"{commune.code}-{h.code}")[2022] == poverty.AVERAGE
    ][:2]
    for number, household in enumerate(candidates, start=1):
        if household.applications.exists():
            continue
        application = application_services.record_application(
            household=household,
            requested_on=datetime.date(2022, 8, 15),
            income_12_months=4 * 12 * 1_800_000,
            member_count=4,
            by=officer,
        )
        for state, on, extra in (
            (StatusApplication.State.POSTED, datetime.date(2022, 8, 15), {}),
            (StatusApplication.State.RECHECKED, datetime.date(2022, 8, 22), {}),
            (
                StatusApplication.State.RECOGNISED,
                datetime.date(2022, 8, 29),
                # Numbered in 2022 before the decision of the late-2022 review (122/QĐ-UBND).
                {"decision_number": f"{110 + number}/QĐ-UBND"},
            ),
        ):
            application_services.move_application(
                application=application, to_state=state, on=on, by=officer, **extra
            )


def _decide_application(application, steps, officer) -> None:
    for state, on, extra in steps:
        application_services.move_application(
            application=application, to_state=state, on=on, by=officer, **extra
        )


def seed_application_papers(
    commune: Commune,
    households: list[Household],
    officer,
    *,
    year: int = 2022,
    list_year: int = 2022,
    number: str = "125/QĐ-UBND",
) -> None:
    """Beside the farm households of `seed_farm_average`, so that every paper of the procedure exists in
    the demo: a low-income worker recognised by the chairman in August of `year` (decision `number`), and one
    refused application of each kind with its reason; households chosen off the lists of `list_year`."""
    if StatusApplication.objects.filter(
        household__commune=commune, state=StatusApplication.State.REFUSED
    ).exists():
        return
    State = StatusApplication.State
    off_list_pks = set(
        Household.objects.filter(pk__in=[h.pk for h in households])
        .with_category_in(list_year)
        .filter(year_category__in=(poverty.AVERAGE, poverty.NOT_POOR), applications__isnull=True)
        .values_list("pk", flat=True)
    )
    off_list = [h for h in households if h.pk in off_list_pks]
    workers = [
        (h, m.person)
        for h in off_list
        for m in h.members.current().select_related("person").order_by("pk")
        if m.person.is_of_working_age(year) and m.person.is_working
    ]
    refused = "Thu nhập bình quân đầu người ({amount} đồng/tháng) cao hơn mức sống trung bình theo quy định."
    for (household, worker), income, steps in (
        (
            workers[0],
            1_800_000,
            [
                (State.POSTED, datetime.date(year, 8, 15), {}),
                (State.RECHECKED, datetime.date(year, 8, 22), {}),
                (State.RECOGNISED, datetime.date(year, 8, 29), {"decision_number": number}),
            ],
        ),
        (
            next(w for w in workers if w[0] != workers[0][0]),
            4_500_000,
            [(State.REFUSED, datetime.date(year, 8, 19), {"reason": refused.format(amount="4.500.000")})],
        ),
    ):
        application = application_services.record_application(
            household=household,
            kind=StatusApplication.Kind.LOW_INCOME_WORKER,
            person=worker,
            requested_on=datetime.date(year, 8, 12),
            income_12_months=12 * income,
            member_count=1,
            by=officer,
        )
        _decide_application(application, steps, officer)
    farm = next(h for h in off_list if h.is_farm and h not in {w[0] for w in workers[:2]})
    application = application_services.record_application(
        household=farm,
        requested_on=datetime.date(year, 8, 12),
        income_12_months=4 * 12 * 3_500_000,
        member_count=4,
        by=officer,
    )
    _decide_application(
        application,
        [(State.REFUSED, datetime.date(year, 8, 19), {"reason": refused.format(amount="3.500.000")})],
        officer,
    )


def seed_move(households: list[Household], officer) -> None:
    """A daughter marries into another household of the village in 2023: her history stays on both."""
    first, second = households[0], households[1]
    if Member.objects.filter(household=second, joined_on=datetime.date(2023, 3, 1)).exists():
        return
    child = first.members.current().filter(relation="child").order_by("person__birth_year", "pk").first()
    if child:
        services.move_member(
            member=child, to_household=second, on=datetime.date(2023, 3, 1), relation="other", by=officer
        )


def seed_refusal_and_complaint(
    commune: Commune, households: list[Household], officer, *, year: int = 2022
) -> None:
    """The papers' examples: a form 01 request of September of `year` refused at its Phiếu A screening,
    with its reason, and a complaint about the results the periodic review of `year` posted in November,
    re-checked. The round is decided by now, so the complaint is stored as its re-check closed it."""
    if ReviewRequest.objects.filter(commune=commune, outcome=ReviewRequest.Outcome.REFUSED).exists():
        return
    household = next(
        h for h in households if categories_of(f"{commune.code}-{h.code}")[year + 1] == poverty.NOT_POOR
    )
    received = request_services.record_request(
        commune=commune,
        household=household,
        form=ReviewRequest.Form.REVIEW,
        received_on=datetime.date(year, 9, 8),
        by=officer,
    )
    request_services.record_screening(
        request=received,
        on=datetime.date(year, 9, 12),
        survey_follows=False,
        notes="Qua rà soát Phiếu A, hộ có ô tô và nhà ở kiên cố, có từ hai tiêu chí trở lên thuộc "
        "trường hợp không tiếp tục rà soát theo Phụ lục III Thông tư 07/2021/TT-BLĐTBXH.",
        by=officer,
    )
    review_round = ReviewRound.objects.get(commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC)
    review = review_round.reviews.filter(category=poverty.NEAR_POOR).order_by("household__code").first()
    if review:
        complaint = Complaint(
            round=review_round,
            household=review.household,
            received_on=datetime.date(year, 11, 17),
            content="Hộ đề nghị xem xét lại thu nhập: vụ mì năm nay mất mùa, "
            "con trai đi làm xa không gửi tiền về.",
            outcome=f"Tổ phúc tra đến hộ ngày 21/11/{year}, thu nhập thực tế đúng như phiếu B1 đã rà soát; "
            "giữ nguyên kết quả hộ cận nghèo, chủ hộ thống nhất.",
            resolved_on=datetime.date(year, 11, 21),
        )
        complaint.full_clean()
        complaint.save()


def seed_merged_commune() -> None:
    """The households carried over to Xã Ngọc Linh on the merger date, and its review of late 2025."""
    commune = Commune.objects.get(code=communes_demo.NGOC_LINH_NEW["code"])
    officer = _officer(commune)
    carry_households_over(commune=commune, on=communes_demo.MERGER_DATE, by=officer)
    households = list(commune.households.existing_in(MERGED_LIST_YEAR - 1))
    seed_round(
        commune,
        MERGED_LIST_YEAR,
        households,
        officer,
        decision_number=MERGED_DECISION_NUMBER,
        signer=MERGED_SIGNER,
    )
    seed_application_papers(commune, households, officer, year=2025, list_year=2025, number="05/QĐ-UBND")
    seed_refusal_and_complaint(commune, households, officer, year=2025)


def seed() -> None:
    for data in (communes_demo.MUONG_HOONG, communes_demo.NGOC_LINH_OLD):
        commune = Commune.objects.get(code=data["code"])
        officer = _officer(commune)
        households = seed_households(commune, officer)
        for list_year in LIST_YEARS:
            seed_round(commune, list_year, households, officer)
        seed_farm_average(commune, households, officer)
        seed_application_papers(commune, households, officer)
        seed_move(households, officer)
        seed_refusal_and_complaint(commune, households, officer)
    seed_merged_commune()
