"""The updates list moved to the top-level ``updates`` app; only the compatibility
module ``tasks`` is left here (see there)."""
