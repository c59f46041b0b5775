"""The updates list's personal data, for "download my data" and erasure
(network/personal_data.py). Subscribers are kept by email address, so they belong
to a member through any of the member's addresses."""

from network.personal_data import register

from .models import ConsentEvent, Delivery, PendingSignup, Subscriber

register(Subscriber, label="subscriptions", email_field="email")
register(ConsentEvent, label="consent_events", email_field="subscriber__email")
register(Delivery, label="mailings_received", email_field="subscriber__email")
register(PendingSignup, label="signups_being_processed", email_field="email")
