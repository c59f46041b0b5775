"""The partner API's personal data, for "download my data" and erasure
(network/personal_data.py): the stored documents the API serves about a person,
which copy their profile, roles and contacts."""

from network.personal_data import register

from .models import PersonDocument

register(PersonDocument, label="api_documents", person_field="person")
