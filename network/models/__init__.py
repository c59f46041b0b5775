"""The directory's models, one module per subject."""

from .accounts import User
from .areas import Area, AreaType, ConstituencyCouncilOverlap, CouncilType
from .people import (
    Affiliation,
    ContactDetail,
    ContactKind,
    Election,
    ElectionKind,
    Group,
    GroupKind,
    GroupMembership,
    Party,
    Person,
    PersonStatus,
    Role,
    RoleKind,
    Visibility,
)

__all__ = [
    "Affiliation",
    "Area",
    "AreaType",
    "ConstituencyCouncilOverlap",
    "ContactDetail",
    "ContactKind",
    "CouncilType",
    "Election",
    "ElectionKind",
    "Group",
    "GroupKind",
    "GroupMembership",
    "Party",
    "Person",
    "PersonStatus",
    "Role",
    "RoleKind",
    "User",
    "Visibility",
]
