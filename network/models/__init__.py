"""The directory's models, one module per subject."""

from .accounts import User
from .areas import Area, AreaType, ConstituencyCouncilOverlap, CouncilType
from .members import (
    ChangeSource,
    DeletionRequest,
    DeletionRequestStatus,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    ProfileChange,
)
from .notes import CoordinationNote, NoteVisibility
from .people import (
    Affiliation,
    ContactDetail,
    ContactKind,
    Election,
    ElectionKind,
    Group,
    GroupKind,
    GroupMembership,
    NetworkStatus,
    Party,
    Person,
    PersonStatus,
    Role,
    RoleKind,
    Visibility,
)

__all__ = [
    "ProfileChange",
    "JoinRequestStatus",
    "JoinRequest",
    "Invitation",
    "DeletionRequestStatus",
    "DeletionRequest",
    "ChangeSource",
    "Affiliation",
    "Area",
    "AreaType",
    "ConstituencyCouncilOverlap",
    "ContactDetail",
    "ContactKind",
    "CoordinationNote",
    "CouncilType",
    "Election",
    "ElectionKind",
    "Group",
    "GroupKind",
    "GroupMembership",
    "NetworkStatus",
    "NoteVisibility",
    "Party",
    "Person",
    "PersonStatus",
    "Role",
    "RoleKind",
    "User",
    "Visibility",
]
