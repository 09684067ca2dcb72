"""The households app's models, by subject; importable from here as one module."""

from households.models.applications import (  # noqa: F401
    ApplicationComplaint,
    StatusApplication,
    StatusApplicationQuerySet,
)
from households.models.facts import (  # noqa: F401
    CERTIFICATE_NUMBER_FORMAT,
    CauseOfPoverty,
    Certificate,
    PovertyCause,
    SupportKind,
    SupportReceived,
    is_ethnic_minority,
)
from households.models.import_records import (  # noqa: F401
    ImportChange,
    ImportRecord,
)
from households.models.meetings import (  # noqa: F401
    Attendee,
    MeetingResult,
    VillageMeeting,
    VillageMeetingQuerySet,
)
from households.models.registry import (  # noqa: F401
    FARM_LIVELIHOODS,
    Household,
    HouseholdQuerySet,
    Livelihood,
    Member,
    MemberQuerySet,
    Person,
    Relation,
    Sex,
    on_register_in,
)
from households.models.requests import (  # noqa: F401
    ReviewRequest,
    ReviewRequestQuerySet,
    households_on_lists,
    households_to_review,
    list_category,
)
from households.models.reviews import (  # noqa: F401
    Category,
    Complaint,
    Deprivation,
    HouseholdReview,
    HouseholdReviewQuerySet,
    ReviewRound,
    ReviewRoundQuerySet,
    RoundStep,
)
