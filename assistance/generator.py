"""The support of a generated province (`manage.py generate_province`, see scenario/generator.py):
plans, activities, spending, beneficiaries, follow-ups and conference participants, by bulk_create."""

import datetime

from assistance.models import Activity, Assignment, Beneficiary, FollowUp, Participant, Plan, Spending
from communes.models import Commune, Organisation
from core.generation import Run
from households.models import Category, Household, Member


def generate_assistance(run: Run, communes: list[Commune]):
    """For each commune and year an approved plan of eight activities, a third of them done and paid;
    the first year's poor households enrolled in its livelihood models; heads of household at its
    job conferences."""
    organisation = Organisation.objects.filter(is_home=True).first() or Organisation.objects.create(
        full_name="Sở Nông nghiệp và Môi trường (thử nghiệm)", is_home=True
    )
    first, last = run.years[0], run.years[-1]
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
        for year in run.years
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
            planned_amount=run.random.randint(10, 250) * 1_000_000,
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
            amount=a.planned_amount * run.random.randint(40, 100) // 100,
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
        participants.append(Participant(activity=conferences[index % len(conferences)], member_id=member_id))
    Participant.objects.bulk_create(participants, ignore_conflicts=True)
    run.counts.update(
        plans=len(plans),
        activities=len(activities),
        beneficiaries=len(beneficiaries),
        participants=len(participants),
    )
    run.say(
        f"{len(plans)} plans, {len(activities)} activities, {len(beneficiaries)} beneficiaries, "
        f"{len(participants)} conference participants"
    )
