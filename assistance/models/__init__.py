"""The department's help to communes: who is assigned, what the surveys found, what was agreed and
what was carried out and spent.

Money is whole đồng (PositiveBigIntegerField); totals are computed by the database (QuerySet
methods), never summed in Python.

By subject: `programmes` (the catalogue), `missions` (assignments, survey missions and what they
found), `plans` (plans, activities, spending), `records` (what was carried out, participants).
"""

from assistance.models.missions import (
    PHOTO_FORMATS,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    Assignment,
    AssignmentQuerySet,
    Finding,
    LabourNeed,
    Mission,
    MissionPhoto,
    MissionQuerySet,
    mission_photo_path,
)
from assistance.models.plans import (
    Activity,
    ActivityQuerySet,
    FundingSource,
    Plan,
    PlanAmendment,
    PlanQuerySet,
    Spending,
    quarter_end,
    quarter_start,
)
from assistance.models.programmes import Programme, Project, ProjectQuerySet
from assistance.models.records import (
    Beneficiary,
    CommunicationRecord,
    Event,
    FollowUp,
    GivenItem,
    Outcome,
    OutcomeStep,
    Participant,
)

__all__ = [
    "Programme",
    "Project",
    "ProjectQuerySet",
    "Assignment",
    "AssignmentQuerySet",
    "Finding",
    "LabourNeed",
    "Mission",
    "MissionPhoto",
    "MissionQuerySet",
    "PHOTO_FORMATS",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "mission_photo_path",
    "Activity",
    "ActivityQuerySet",
    "FundingSource",
    "Plan",
    "PlanAmendment",
    "PlanQuerySet",
    "Spending",
    "quarter_end",
    "quarter_start",
    "Beneficiary",
    "CommunicationRecord",
    "Event",
    "FollowUp",
    "GivenItem",
    "Outcome",
    "OutcomeStep",
    "Participant",
]
