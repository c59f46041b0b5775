"""Webhooks: partners' endpoints, the events sent to them, and each delivery.

- ``models``: endpoints (with their signing secrets), events, deliveries.
- ``signals``: record an event for every change to a person, wherever it is made.
- ``services``: register, change, rotate, replay, disable.
- ``payloads``: ``webhook_payload``, the body a partner may receive.
- ``targets``: which addresses a delivery may go to (no private networks).
- ``delivery`` and ``tasks``: signing (Standard Webhooks), sending, retrying.
- ``views``: the partners' own endpoints under /api/v1/webhooks/.
"""
