"""UK areas with their ONS GSS codes: nations, regions, councils, wards, constituencies.

Loaded from the shipped open data by ``manage.py load_areas``; people's roles point
at them. Each area keeps its parent (ward -> council, district -> county,
council/constituency -> region -> nation) and, denormalised for cheap filtering,
the region and nation it lies in.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

GSS_CODE_RE = re.compile(r"^[EWSNK]\d{8}$")


class AreaType(models.TextChoices):
    NATION = "nation", _("Nation")
    REGION = "region", _("Region")
    COUNTY = "county", _("County council")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    WARD = "ward", _("Ward")
    CONSTITUENCY = "constituency", _("Westminster constituency")


class CouncilType(models.TextChoices):
    """ONS/mySociety council type codes."""

    COUNTY = "CTY", "County council"
    NON_METROPOLITAN_DISTRICT = "NMD", "Non-metropolitan district"
    UNITARY = "UA", "Unitary authority"
    METROPOLITAN_DISTRICT = "MD", "Metropolitan district"
    LONDON_BOROUGH = "LBO", "London borough"
    CITY_CORPORATION = "CC", "City corporation"
    SCOTTISH_COUNCIL = "SCO", "Scottish council"
    WELSH_PRINCIPAL_AREA = "WPA", "Welsh principal area"
    NI_DISTRICT = "NID", "Northern Ireland district"


# The GSS entity codes (first three characters) each area type may carry.
GSS_PREFIXES = {
    AreaType.NATION: {"E92", "W92", "S92", "N92"},
    AreaType.REGION: {"E12"},
    AreaType.COUNTY: {"E10"},
    AreaType.LOCAL_AUTHORITY: {"E06", "E07", "E08", "E09", "W06", "S12", "N09"},
    AreaType.WARD: {"E05", "W05", "S13", "N08"},
    AreaType.CONSTITUENCY: {"E14", "W07", "S14", "N05"},
}


def validate_gss_code(value: str) -> None:
    if not GSS_CODE_RE.match(value or ""):
        raise ValidationError(
            "%(value)s is not a GSS code: expected a letter (E, W, S, N or K) "
            "followed by eight digits, like E06000008.",
            params={"value": value},
            code="invalid_gss_code",
        )


class Area(models.Model):
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        unique=True,
        validators=[validate_gss_code],
        help_text="ONS Government Statistical Service code, e.g. E14001063.",
    )
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, db_index=True)
    area_type = models.CharField(max_length=20, choices=AreaType.choices, db_index=True)
    council_type = models.CharField(
        max_length=3,
        choices=CouncilType.choices,
        blank=True,
        help_text="For councils only.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The English region, or the nation outside England.",
    )
    nation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(
        null=True, blank=True, help_text="When this code's current version began."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["area_type", "slug"])]

    def __str__(self):
        return f"{self.name} ({self.get_area_type_display()})"

    @property
    def is_council(self) -> bool:
        return self.area_type in (AreaType.COUNTY, AreaType.LOCAL_AUTHORITY)

    def clean(self):
        prefixes = GSS_PREFIXES.get(self.area_type)
        if self.gss_code and prefixes and self.gss_code[:3] not in prefixes:
            raise ValidationError(
                {
                    "gss_code": (
                        f"A {self.get_area_type_display().lower()} code starts "
                        f"with one of {', '.join(sorted(prefixes))}."
                    )
                }
            )
        if self.is_council and not self.council_type:
            raise ValidationError({"council_type": "Councils need a council type."})
        if not self.is_council and self.council_type:
            raise ValidationError(
                {"council_type": "Only councils have a council type."}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "An area cannot be its own parent."})


class ConstituencyCouncilOverlap(models.Model):
    """How much of a constituency's population lives in a district-level council."""

    constituency = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="council_overlaps",
        limit_choices_to={"area_type": AreaType.CONSTITUENCY},
    )
    council = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="constituency_overlaps",
        limit_choices_to={"area_type": AreaType.LOCAL_AUTHORITY},
    )
    population_share = models.DecimalField(
        max_digits=7,
        decimal_places=6,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share (0-1) of the constituency's population in this council.",
    )
    area_share = models.DecimalField(
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "council"], name="unique_overlap_pair"
            )
        ]
        ordering = ["constituency__name", "-population_share"]

    def __str__(self):
        return f"{self.constituency.name} / {self.council.name}"
