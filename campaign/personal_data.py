"""The campaign's personal data, for "download my data" and erasure
(network/personal_data.py): what a candidate was asked and answered, through their
candidacies."""

from network.personal_data import register

from .models import ConstituentAsk, Pledge, StanceEvent

register(StanceEvent, label="stance_events", person_field="candidacy__person")

# Pledges and asks are kept by email address. Erasure anonymises them rather than
# deleting: the counts (and "asked by N constituents") stay true, and nothing
# left names the person. Client hashes are never exported.
register(
    Pledge,
    label="pledges",
    email_field="email",
    erase={
        "name": "",
        "email": "",
        "email_domain": "",
        "client_hash": "",
        "client_network": "",
        "updates_request": None,
    },
    exclude=("client_hash", "client_network"),
)
register(
    ConstituentAsk,
    label="asks_to_candidates",
    email_field="email",
    erase={"name": "", "email": "", "message": "", "client_hash": ""},
    exclude=("client_hash",),
)
