"""The sender's per-message statements on PostgreSQL: each must touch the rows it
names and no others, however large the mailing and whatever the table's
statistics say (they are usually from before the recipients were listed)."""

import json
import re

import pytest
from django.db import connection
from django.utils import timezone

from tests.updates.factories import MailingFactory, bulk_subscribers
from updates.models import Delivery, DeliveryStatus, MailingStatus
from updates.sending import (
    HAND_OVER_AND_SENT_SQL,
    HAND_OVER_SQL,
    SENT_SQL,
    SenderLease,
    _list_recipients,
)

pytestmark = pytest.mark.django_db

RECIPIENTS = 3000


def rows_read(plan: dict, table: str) -> int:
    """Rows the plan's scans of ``table`` produced or threw away."""
    total = 0
    if plan.get("Relation Name") == table and "Scan" in plan["Node Type"]:
        total += plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)
        total += plan.get("Rows Removed by Index Recheck", 0)
    if plan["Node Type"] == "Bitmap Index Scan":
        total += plan["Actual Rows"]
    for child in plan.get("Plans", ()):
        total += rows_read(child, table)
    return total


def generic_plan(cursor, sql: str, values: dict) -> dict:
    """The plan PostgreSQL keeps for the prepared statement (the one it uses
    after a few messages), run for real on ``values``."""
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
    numbered = sql
    for index, name in enumerate(names, start=1):
        numbered = numbered.replace(f"%({name})s", f"${index}")
    cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    cursor.execute(f"PREPARE sender_statement AS {numbered}")
    try:
        cursor.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE sender_statement("
            + ", ".join(["%s"] * len(names))
            + ")",
            [values[name] for name in names],
        )
        explained = cursor.fetchone()[0]
    finally:
        cursor.execute("DEALLOCATE sender_statement")
    if isinstance(explained, str):  # json text, when not decoded by the driver
        explained = json.loads(explained)
    return explained[0]["Plan"]


def test_each_hand_over_reads_only_its_own_rows_however_large_the_mailing():
    if connection.vendor != "postgresql":
        pytest.skip("the plan checked is PostgreSQL's (set DATABASE_URL)")
    bulk_subscribers(RECIPIENTS)
    with connection.cursor() as cursor:
        # Statistics from an empty table, as a new installation has them when
        # its first large mailing is listed.
        cursor.execute("ANALYZE updates_delivery")
    mailing = MailingFactory(status=MailingStatus.QUEUED)
    lease = SenderLease.take(mailing.pk)
    _list_recipients(mailing, lease)
    ids = list(
        Delivery.objects.filter(mailing=mailing)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == RECIPIENTS
    middle = RECIPIENTS // 2
    values = {
        "handed": ids[middle],
        "accepted": ids[middle - 1],
        "sent_at": timezone.now(),
        "mailing": mailing.pk,
        "token": lease.token,
    }
    Delivery.objects.filter(pk=ids[middle - 1]).update(status=DeliveryStatus.SENDING)

    with connection.cursor() as cursor:
        for sql in (HAND_OVER_SQL, HAND_OVER_AND_SENT_SQL, SENT_SQL):
            plan = generic_plan(cursor, sql, values)
            # Two rows at most, each found by its key (a row's older versions
            # may be read too): never the mailing's thousands.
            assert rows_read(plan, "updates_delivery") <= 10, (sql, plan)
