"""Users scoped to Mường Hoong (A) neither write nor learn anything about Ngọc Linh (B), outside it:
not through an import, the admin or a history page (issue 19, finding 3)."""

import datetime
import html

import pytest
from django.urls import reverse

from assistance import services as plan_services
from assistance.models import Activity, Beneficiary, Plan, PlanAmendment, Spending
from communes.models import Role
from households import services
from households.models import ImportRecord, Member, Person
from households.tests.helpers import make_household, make_person
from households.tests.workbooks import xlsx_upload
from tests.fixtures import make_user
from tests.forms import posted
from tests.test_admin_scope import staff

D = datetime.date
TAKEN = "Số định danh cá nhân này đã thuộc về người khác."
OVER = "Khoản chi này đưa tổng chi"


def member(household, person, **fields):
    return Member.objects.create(household=household, person=person, relation="child", **fields)


@pytest.fixture
def people(geography):
    """People holding the ID numbers of the file, by where they are now."""
    mine = make_household(geography["muong_hoong"], "01001", head_name="A Thiết")
    theirs = make_household(geography["ngoc_linh_old"], "02001", village_name="Thôn 1", head_name="Y Hoa")
    found = {
        "lives in B": make_person("Y Hoa", birth_year=1982, citizen_id="062182000001"),
        "left B": make_person("A Lâm", birth_year=1980, sex="male", citizen_id="062080000002"),
        "left A": make_person("A Sơn", birth_year=1980, sex="male", citizen_id="062080000003"),
        "moved A to B": make_person("Y Mai", birth_year=1982, citizen_id="062182000004"),
    }
    member(theirs, found["lives in B"])
    member(theirs, found["left B"], left_on=D(2023, 1, 1))
    member(mine, found["left A"], left_on=D(2023, 1, 1))
    services.move_member(
        member=member(mine, found["moved A to B"]),
        to_household=theirs,
        on=D(2023, 2, 1),
        relation="child",
        by=make_user("mover", Role.DEPARTMENT_ADMIN, superuser=True),
    )
    return found


def file_naming(people):
    """A new household of Mường Hoong whose members carry the ID numbers of `people`, renamed."""
    rows = [["H00001", "Y Hộ 1", "Làng Mới", "Xơ Đăng", "Nông nghiệp", "05/02/2015", "Y Hộ 1", "Chủ hộ",
             "Nam", 1980, ""]]  # fmt: skip
    for person in people:
        sex = "Nữ" if person.sex == "female" else "Nam"
        rows.append(["H00001", "", "", "", "", "", f"Tên mới {person.pk}", "Con", sex, person.birth_year,
                     person.citizen_id])  # fmt: skip
    return xlsx_upload(rows=rows)


def dry_run(client, geography, uploaded):
    response = client.post(
        reverse("households:import_new"),
        {"kind": "households", "commune": geography["muong_hoong"].pk, "year": "", "file": uploaded},
    )
    record = ImportRecord.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    return record, html.unescape(client.get(record.get_absolute_url()).content.decode())


def test_an_import_matches_only_people_of_the_users_communes_and_does_not_say_who_holds_an_id(
    client_of, geography, people
):
    muong_hoong = [geography["muong_hoong"]]
    users = {
        "commune officer": make_user("mh", Role.COMMUNE_OFFICER, communes=muong_hoong),
        "department officer of A": make_user("dept_mh", Role.DEPARTMENT_OFFICER, communes=muong_hoong),
        "district officer of A": make_user("district_mh", Role.DISTRICT_OFFICER, communes=muong_hoong),
    }
    order = list(people)  # rows 3, 4, 5, 6 of the file
    for name, user in users.items():
        client = client_of(user)
        record, page = dry_run(client, geography, file_naming(people.values()))
        rejected = {r["row"]: r["reason"] for r in record.report["rejections"]}
        assert rejected == {3 + order.index(k): TAKEN for k in ("lives in B", "left B", "moved A to B")}, name
        for told in ("Y Hoa", "02001", "A Lâm", "Y Mai"):
            assert told not in page, (name, told)
        response = client.post(reverse("households:import_run", args=[record.pk]), follow=True)
        assert response.status_code == 200
        assert not Member.objects.filter(household__code="H00001").exists(), name
    for key in ("left B", "moved A to B", "lives in B"):
        assert Person.objects.get(pk=people[key].pk).full_name == people[key].full_name

    # Someone who lived in A and lives nowhere now is the commune's: matched, attached and renamed.
    client = client_of(users["commune officer"])
    record, page = dry_run(client, geography, file_naming([people["left A"]]))
    assert record.rejected == 0 and record.report["members_new"] == 2
    client.post(reverse("households:import_run", args=[record.pk]))
    joined = Member.objects.current().get(person=people["left A"])
    assert joined.household.code == "H00001" and joined.person.full_name == f"Tên mới {people['left A'].pk}"


def test_for_a_user_of_both_communes_the_import_still_names_who_holds_an_id_and_attaches(
    client_of, geography, people
):
    officer = make_user("dept", Role.DEPARTMENT_OFFICER, all_communes=True)
    never_in_one = make_person("Y Lan", birth_year=1990, citizen_id="062190000005")
    client = client_of(officer)
    record, page = dry_run(client, geography, file_naming([people["lives in B"], people["left B"]]))
    assert [r["row"] for r in record.report["rejections"]] == [3]
    assert "Y Hoa" in page and "02001" in page
    # Who lives nowhere, or was never in a household, joins the new household.
    record, page = dry_run(client, geography, file_naming([people["left B"], never_in_one]))
    assert record.rejected == 0 and record.report["members_new"] == 3


# The admin ------------------------------------------------------------------------------------------


def approved_plan(commune, by, *, amount=10_000_000, approve=True, kind=Activity.Kind.TRAINING_CLASS):
    plan = Plan.objects.create(
        commune=commune, title=f"Kế hoạch {commune.name}", from_year=2022, to_year=2023
    )
    activity = Activity(
        kind=kind,
        title="Lớp tập huấn",
        planned_amount=amount,
        quantity_unit="lớp",
        planned_on=D(2022, 9, 15),
    )
    plan_services.add_activity(plan=plan, activity=activity, by=by)
    if approve:
        plan_services.approve_plan(plan=plan, by=by, on=D(2022, 8, 22))
    return plan, activity


def test_a_department_officer_amends_in_the_admin_only_the_plans_of_their_communes(client_of, geography):
    officer = staff("dept_staff", Role.DEPARTMENT_OFFICER, [geography["muong_hoong"]])
    mine, _line = approved_plan(geography["muong_hoong"], officer)
    theirs, _line = approved_plan(
        geography["ngoc_linh_old"], make_user("d", Role.DEPARTMENT_OFFICER, all_communes=True)
    )
    client = client_of(officer)
    url = reverse("admin:assistance_planamendment_add")
    assert list(client.get(url).context["adminform"].form.fields["plan"].queryset) == [mine]
    response = client.post(url, {"plan": theirs.pk, "changes": "Đổi tên", "reason": "Sai tên"})
    assert response.status_code == 200 and "plan" in response.context["adminform"].form.errors
    assert not PlanAmendment.objects.exists()
    assert client.post(url, {"plan": mine.pk, "changes": "Đổi tên", "reason": "Sai tên"}).status_code == 302
    assert PlanAmendment.objects.get().plan == mine


def test_the_admin_records_spending_only_as_the_spending_page_does(client_of, geography):
    officer = staff("mh_staff", Role.COMMUNE_OFFICER, [geography["muong_hoong"]])
    department = make_user("d", Role.DEPARTMENT_OFFICER, all_communes=True)
    _draft, on_draft = approved_plan(geography["muong_hoong"], officer, approve=False)
    _plan, activity = approved_plan(geography["muong_hoong"], department)
    client = client_of(officer)
    url = reverse("admin:assistance_spending_add")

    def spend(line, amount, **confirm):
        data = {"activity": line.pk, "spent_on": "20/09/2022", "amount": amount, "voucher_number": "PC-1"}
        return client.post(url, {**data, "note": "", **confirm})

    cases = [
        (on_draft, 1_000_000, {}, "Chỉ ghi chi cho kế hoạch đã phê duyệt"),
        (on_draft, 1_000_000, {"confirm_over_plan": "on"}, "Chỉ ghi chi cho kế hoạch đã phê duyệt"),
        (activity, 11_000_000, {}, OVER),
    ]
    for line, amount, confirm, message in cases:
        response = spend(line, amount, **confirm)
        assert response.status_code == 200 and message in response.content.decode(), (line, confirm)
        assert not Spending.objects.exists()
    assert spend(activity, 11_000_000, confirm_over_plan="on").status_code == 302
    spending = Spending.objects.get()
    assert (spending.amount, spending.recorded_by) == (11_000_000, officer)

    # Changing a recorded spending asks the same: 12 million is over the plan's 10.
    change = reverse("admin:assistance_spending_change", args=[spending.pk])
    form = client.get(change).context["adminform"].form
    spending.amount = 5_000_000
    spending.save()
    response = client.post(change, posted(form, amount="12000000", confirm_over_plan=""))
    assert response.status_code == 200 and OVER in response.content.decode()
    assert Spending.objects.get().amount == 5_000_000


def test_the_admin_enrols_beneficiaries_only_as_the_enrolment_page_does(client_of, geography):
    officer = staff("mh_staff", Role.COMMUNE_OFFICER, [geography["muong_hoong"]])
    department = make_user("d", Role.DEPARTMENT_OFFICER, all_communes=True)
    _plan, model = approved_plan(geography["muong_hoong"], department, kind=Activity.Kind.LIVELIHOOD_MODEL)
    household = make_household(geography["muong_hoong"], "01001")
    client = client_of(officer)
    url = reverse("admin:assistance_beneficiary_add")
    enrol = {"activity": model.pk, "household": household.pk, "enrolled_on": "20/09/2022"}

    Activity.objects.filter(pk=model.pk).update(status=Activity.Status.CANCELLED, cancel_reason="Hết vốn")
    response = client.post(url, {**enrol, "category_when_enrolled": "poor"})
    assert response.status_code == 200 and "Hoạt động này đã bị hủy." in response.content.decode()
    assert not Beneficiary.objects.exists()

    Activity.objects.filter(pk=model.pk).update(status=Activity.Status.PLANNED, cancel_reason="")
    assert client.post(url, {**enrol, "category_when_enrolled": "poor"}).status_code == 302
    # The category is the household's latest decided one (none yet), not what was posted.
    assert Beneficiary.objects.get().category_when_enrolled == ""


# History -------------------------------------------------------------------------------------------


def test_after_a_move_the_old_commune_neither_sees_the_new_ones_edits_nor_changes_the_person(
    client_of, geography
):
    here = make_household(geography["muong_hoong"], "01001", head_name="A Thiết")
    there = make_household(geography["ngoc_linh_old"], "02001", village_name="Thôn 1", head_name="Y Hoa")
    person = make_person("Y Mai", birth_year=1982)
    membership = member(here, person)
    mine = staff("mh_staff", Role.COMMUNE_OFFICER, [geography["muong_hoong"]])
    theirs = staff("nl_staff", Role.COMMUNE_OFFICER, [geography["ngoc_linh_old"]])
    admin_url = reverse("admin:households_person_change", args=[person.pk])

    def rename(user, name):
        client = client_of(user)
        form = client.get(admin_url).context["adminform"].form
        assert client.post(admin_url, posted(form, full_name=name), follow=True).status_code == 200

    rename(mine, "Y Mai Hoong")
    department = make_user("d", Role.DEPARTMENT_OFFICER, all_communes=True)
    services.move_member(
        member=membership, to_household=there, on=D(2023, 2, 1), relation="child", by=department
    )
    rename(theirs, "Y Mai Linh")

    household_history = reverse("households:history", args=[here.pk])
    admin_history = reverse("admin:households_person_history", args=[person.pk])
    client = client_of(mine)
    page = html.unescape(client.get(household_history).content.decode())
    assert "Y Mai Hoong" in page and "Y Mai Linh" not in page and "nl_staff" not in page
    logged = client.get(admin_history).context["action_list"]
    assert [entry.user for entry in logged] == [mine]

    client = client_of(theirs)
    logged = client.get(admin_history).context["action_list"]
    assert [entry.user for entry in logged] == [theirs]  # and B sees only since the move
    page = html.unescape(client.get(reverse("households:history", args=[there.pk])).content.decode())
    assert "Y Mai Linh" in page

    # The person is Ngọc Linh's now: Mường Hoong changes them neither on its pages nor in the admin.
    client = client_of(mine)
    edit = reverse("households:member_edit", args=[membership.pk])
    assert client.get(edit).status_code == 403
    changed = {"full_name": "Y Mai Sửa", "sex": "female", "birth_year": 1982}
    assert client.post(admin_url, changed).status_code == 403
    assert Person.objects.get(pk=person.pk).full_name == "Y Mai Linh"
