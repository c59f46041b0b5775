"""The campaign site's personal data, for "download my data" and erasure
(network/personal_data.py): event registrations (kept by email address), and the
statements people signed and the events they hosted."""

from network.personal_data import register

from .models import EventHost, Registration, StatementSignatory

register(Registration, label="event_registrations", email_field="email")
register(StatementSignatory, label="statements_signed", person_field="person")
register(EventHost, label="events_hosted", person_field="person")
