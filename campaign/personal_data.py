"""The campaign's personal data, for "download my data" and erasure
(network/personal_data.py): what a candidate was asked and answered, through their
candidacies."""

from network.personal_data import register

from .models import StanceEvent

register(StanceEvent, label="stance_events", person_field="candidacy__person")
