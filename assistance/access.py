"""Who sees and changes the department's assistance records: one decision per kind of record.

Everything follows `communes.access.communes_for(user)`: a record outside the user's communes does
not exist for them (404); in scope but not theirs to change → 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from assistance.models import Activity, Assignment, Finding, LabourNeed, Mission, Participant, Plan
from communes.access import communes_for, profile_of
from communes.models import Role

DEPARTMENT = {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER}
MISSION_WRITERS = DEPARTMENT | {Role.DISTRICT_OFFICER}
PLAN_WRITERS = MISSION_WRITERS | {Role.COMMUNE_OFFICER}


def _role(user) -> str | None:
    if user.is_superuser:
        return Role.DEPARTMENT_ADMIN
    profile = profile_of(user)
    return profile.role if profile else None


def can_manage_assignments(user) -> bool:
    return _role(user) in DEPARTMENT


def can_write_missions(user) -> bool:
    return _role(user) in MISSION_WRITERS


def can_write_plans(user) -> bool:
    """Draft plans, record what was carried out and spent: everyone but viewers."""
    return _role(user) in PLAN_WRITERS


def can_approve_plans(user) -> bool:
    """Approving, amending and closing a plan is the department's decision, never a commune's."""
    return _role(user) in DEPARTMENT


def _check(allowed: bool):
    if not allowed:
        raise PermissionDenied


def assignments_for(user):
    return Assignment.objects.in_communes(communes_for(user))


def get_assignment_for(user, pk, *, write=False) -> Assignment:
    assignment = get_object_or_404(assignments_for(user).select_related("organisation"), pk=pk)
    _check(not write or can_manage_assignments(user))
    return assignment


def missions_for(user):
    return Mission.objects.in_communes(communes_for(user))


def get_mission_for(user, pk, *, write=False) -> Mission:
    mission = get_object_or_404(missions_for(user).select_related("leader"), pk=pk)
    _check(not write or can_write_missions(user))
    return mission


def findings_for(user):
    """Findings about the user's communes (a mission may also have visited others)."""
    return Finding.objects.filter(commune__in=communes_for(user))


def get_finding_for(user, pk, *, write=False) -> Finding:
    finding = get_object_or_404(findings_for(user).select_related("mission", "commune"), pk=pk)
    _check(not write or can_write_missions(user))
    return finding


def labour_needs_for(user):
    return LabourNeed.objects.filter(commune__in=communes_for(user))


def plans_for(user):
    return Plan.objects.in_communes(communes_for(user))


def get_plan_for(user, pk, *, write=False, approve=False) -> Plan:
    plan = get_object_or_404(plans_for(user).select_related("commune", "mission", "organisation"), pk=pk)
    _check(not write or can_write_plans(user))
    _check(not approve or can_approve_plans(user))
    return plan


def activities_for(user):
    return Activity.objects.in_communes(communes_for(user))


def get_activity_for(user, pk, *, write=False, approve=False) -> Activity:
    activity = get_object_or_404(
        activities_for(user).select_related("plan__commune", "project__parent", "village"), pk=pk
    )
    _check(not write or can_write_plans(user))
    _check(not approve or can_approve_plans(user))
    return activity


def participants_for(user):
    return Participant.objects.filter(activity__plan__commune__in=communes_for(user))


def get_participant_for(user, pk, *, write=False) -> Participant:
    participant = get_object_or_404(
        participants_for(user).select_related("activity__plan__commune", "member__person"),
        pk=pk,
    )
    _check(not write or can_write_plans(user))
    return participant
