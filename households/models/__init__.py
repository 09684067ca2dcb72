"""The households app's models, by subject; importable from here as one module."""

from households.models.applications import (  # noqa: F401
    ApplicationComplaint,
    StatusApplication,
    StatusApplicationQuerySet,
)
from households.models.import_records import (  # noqa: F401
    ImportChange,
    ImportRecord,
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
