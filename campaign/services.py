"""Writes of the campaign: recording what candidates were asked and answered.

Each service validates with ``full_clean()`` (the model's rules), runs in one
transaction and records who did it. The admin, the API and commands call these
rather than saving models themselves.
"""

import enum
import hashlib
import hmac
import ipaddress
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from campaign.events import announce_pledge_counts
from campaign.models import (
    PLEDGE_COUNT_SHARDS,
    AskStatus,
    ConstituentAsk,
    Pledge,
    PledgeCount,
    PledgeInvalidation,
    PledgeRule,
    PledgeStatus,
    PledgeWording,
    RuleAction,
    RuleKind,
    StanceEvent,
)
from network.models import Area, Role
from ops.pagecache import purge_public_pages


@transaction.atomic
def stance_record(
    *,
    candidacy: Role,
    kind: str,
    occurred_on: date,
    actor,
    method: str = "",
    asked_by: str = "",
    position: str = "",
    quote: str = "",
    evidence_url: str = "",
) -> StanceEvent:
    """Add one event to a candidacy's stance history."""
    event = StanceEvent(
        candidacy=candidacy,
        kind=kind,
        occurred_on=occurred_on,
        method=method,
        asked_by=asked_by,
        position=position,
        quote=quote,
        evidence_url=evidence_url,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    event.full_clean()
    event.save()  # campaign.signals drops the cached public pages
    return event


# ================================================================== the pledge
#
# A pledge counts when it is confirmed, not held and not invalidated. Every change
# of what counts goes through ``pledge_counts_change`` in the same transaction.

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Client:
    """Who is at the other end, as far as limits need: a keyed hash of the
    address (never the address) and its network prefix (/24, or /48 for IPv6)."""

    hash: str = ""
    network: str = ""
    address: str = ""  # only to match blocked networks now; never stored

    @classmethod
    def from_address(cls, address: str) -> "Client":
        if not address:
            return cls()
        digest = hmac.new(
            settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256
        ).hexdigest()[:40]
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return cls(hash=digest)
        prefix = 24 if ip.version == 4 else 48
        network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
        return cls(hash=digest, network=str(network), address=str(ip))


def current_wording() -> PledgeWording | None:
    """The version people pledge to: the newest English wording."""
    return (
        PledgeWording.objects.filter(language=settings.LANGUAGE_CODE)
        .order_by("-created_at", "-pk")
        .first()
    )


def wording_for(language: str) -> PledgeWording | None:
    """The current version in ``language`` when it has a translation, else the
    English (which the page then marks as English)."""
    current = current_wording()
    if current is None or not language or language == current.language:
        return current
    translated = PledgeWording.objects.filter(
        version=current.version, language=language
    ).first()
    return translated or current


def _domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def _rule_matches(rule: PledgeRule, *, domain: str, client: Client) -> bool:
    if rule.kind == RuleKind.DOMAIN:
        return bool(domain) and (
            domain == rule.value or domain.endswith("." + rule.value)
        )
    if not client.address:
        return False
    try:
        return ipaddress.ip_address(client.address) in ipaddress.ip_network(rule.value)
    except ValueError:
        return False


def hold_reason(*, model, email: str, client: Client, now: datetime) -> str:
    """Why a new pledge (or ask) from this address and client is held, or "".

    A blocked domain or network holds it; an allowed one skips the rate limits;
    otherwise more than the burst or sustained number from one client address
    in their windows holds it."""
    domain = _domain_of(email)
    matched = [
        rule
        for rule in PledgeRule.objects.all()
        if _rule_matches(rule, domain=domain, client=client)
    ]
    if any(rule.action == RuleAction.BLOCK for rule in matched):
        return "blocked domain or network"
    if matched or not client.hash:
        return ""
    recent = model.objects.filter(client_hash=client.hash)
    burst = now - timedelta(seconds=settings.PLEDGE_BURST_WINDOW)
    if recent.filter(created_at__gte=burst).count() >= settings.PLEDGE_BURST_LIMIT:
        return "burst rate"
    sustained = now - timedelta(seconds=settings.PLEDGE_SUSTAINED_WINDOW)
    if (
        recent.filter(created_at__gte=sustained).count()
        >= settings.PLEDGE_SUSTAINED_LIMIT
    ):
        return "sustained rate"
    return ""


def pledge_counts_change(*, changes: dict[int, int], shard: int = 0) -> dict[int, int]:
    """Add ``changes`` (constituency id -> pledges gained, negative for lost) to
    the counts of each constituency, its region and its nation, in counter shard
    ``shard`` (a pledge's id modulo ``PLEDGE_COUNT_SHARDS``). The one place
    counts change; call it inside the transaction that changed the pledges.
    Returns the change applied per area id.

    Rows are updated in area id order, so two transactions touching the same
    rows queue behind each other instead of deadlocking."""
    changes = {pk: delta for pk, delta in changes.items() if delta}
    if not changes:
        return {}
    shard %= PLEDGE_COUNT_SHARDS
    per_area: dict[int, int] = defaultdict(int)
    for pk, region_id, nation_id in Area.objects.filter(pk__in=changes).values_list(
        "pk", "region_id", "nation_id"
    ):
        for area_id in {pk, region_id, nation_id} - {None}:
            per_area[area_id] += changes[pk]
    for area_id in sorted(per_area):
        delta = per_area[area_id]
        if not delta:
            continue
        row = PledgeCount.objects.filter(area_id=area_id, shard=shard)
        if row.update(pledges=F("pledges") + delta, updated_at=timezone.now()):
            continue
        try:
            with transaction.atomic():
                PledgeCount.objects.create(
                    area_id=area_id, shard=shard, pledges=max(delta, 0)
                )
        except IntegrityError:  # created meanwhile by another transaction
            row.update(pledges=F("pledges") + delta, updated_at=timezone.now())
    _announce(per_area)
    return dict(per_area)


def _announce(per_area: dict[int, int]) -> None:
    """Tell listeners (partners' webhooks) the changed areas' new totals, by GSS
    code: counts only, never who pledged."""
    totals = dict(
        PledgeCount.objects.filter(area_id__in=per_area)
        .values("area__gss_code")
        .annotate(total=Sum("pledges"))
        .values_list("area__gss_code", "total")
    )
    codes = dict(Area.objects.filter(pk__in=per_area).values_list("pk", "gss_code"))
    announce_pledge_counts(
        counts={
            "changed": {codes[pk]: delta for pk, delta in per_area.items()},
            "totals": totals,
        }
    )


def _shard(pledge_id: int) -> int:
    return pledge_id % PLEDGE_COUNT_SHARDS


def _enqueue(task, *args) -> None:
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


@transaction.atomic
def pledge_make(
    *,
    email: str,
    name: str,
    constituency: Area,
    ward: Area | None = None,
    client: Client = Client(),  # noqa: B008 (frozen, so safe as a default)
    join_updates: bool = False,
    postcode: str = "",
    source: str = "",
    language: str = "",
) -> Pledge | None:
    """Take a pledge from the form. Returns None (and changes nothing) for an
    address that pledged already, except that a still unconfirmed one gets its
    link again. The caller answers the same in every case.

    The postcode is not kept on the pledge: with ``join_updates`` it goes to the
    updates list (whose confirmation this pledge's email also carries).

    ``language`` is the page's (``ops.i18n.request_language``): the pledge keeps
    the wording shown in it (the current version's translation, else English)
    and its email is written in it."""
    from campaign import tasks

    language = "" if language == settings.LANGUAGE_CODE else language
    wording = wording_for(language)
    if wording is None:
        raise ValidationError("There is no pledge to sign yet.")
    email = email.strip().lower()
    now = timezone.now()
    existing = Pledge.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.status == PledgeStatus.PENDING and not existing.held:
            _enqueue(tasks.send_pledge_confirmation, existing.pk)
        return None
    reason = hold_reason(model=Pledge, email=email, client=client, now=now)
    pledge = Pledge(
        wording=wording,
        name=name,
        email=email,
        email_domain=_domain_of(email),
        constituency=constituency,
        ward=ward,
        held=bool(reason),
        hold_reason=reason,
        source=source[:255],
        client_hash=client.hash,
        client_network=client.network,
        created_at=now,
        language=language,
    )
    pledge.full_clean(exclude=["updates_request", "invalidation"])
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:  # the same address pledged at the same moment
        return None
    if join_updates:
        from updates.services import signup_record

        request = signup_record(
            email=email,
            name=name,
            postcode=postcode,
            constituency=constituency,
            source=source,
            method="pledge form, updates box ticked",
            language=language,
        )
        if request is not None:
            pledge.updates_request = request
            pledge.save(update_fields=["updates_request"])
    if not pledge.held:
        _enqueue(tasks.send_pledge_confirmation, pledge.pk)
    return pledge


class ConfirmOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY = "already"
    UNKNOWN = "unknown"


def pledge_confirm(*, pledge_id: int, source: str = "") -> ConfirmOutcome:
    """Confirm a pledge from its emailed link: counted from now on (unless held),
    and the updates sign-up made with it confirmed too."""
    from updates.services import subscriber_confirm
    from updates.tokens import ConfirmClaim

    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().filter(pk=pledge_id).first()
        if pledge is None or pledge.anonymised_at is not None:
            return ConfirmOutcome.UNKNOWN
        if pledge.status != PledgeStatus.PENDING:
            return ConfirmOutcome.ALREADY
        pledge.status = PledgeStatus.CONFIRMED
        pledge.confirmed_at = timezone.now()
        pledge.save(update_fields=["status", "confirmed_at"])
        if pledge.counted:
            pledge_counts_change(
                changes={pledge.constituency_id: 1}, shard=_shard(pledge.pk)
            )
            constituency_id = pledge.constituency_id
            transaction.on_commit(lambda: _note_for_spike(constituency_id))
        request = pledge.updates_request
        if request is not None:
            subscriber_confirm(
                claim=ConfirmClaim(
                    subscriber_id=request.subscriber_id, request_id=request.pk
                ),
                source=source or "pledge confirmation email",
            )
    return ConfirmOutcome.CONFIRMED


def _note_for_spike(constituency_id: int) -> None:
    """Count a confirmation towards this hour's tally for the constituency; the
    one that reaches the threshold alerts the coordinators (once per window)."""
    from campaign import tasks

    window = settings.PLEDGE_SPIKE_WINDOW
    bucket = int(timezone.now().timestamp() // window)
    key = f"pledge-spike:{constituency_id}:{bucket}"
    try:
        cache.add(key, 0, timeout=window * 2)
        count = cache.incr(key)
    except Exception as error:  # a counter must not fail the confirmation
        logger.warning("Pledge spike counter unavailable (%s)", type(error).__name__)
        return
    if count == settings.PLEDGE_SPIKE_THRESHOLD:
        tasks.alert_pledge_spike.enqueue(constituency_id, count)


def _matching_pledges(
    *, email_domain: str, network: str, made_from, made_until, constituency
):
    pledges = Pledge.objects.filter(
        status__in=(PledgeStatus.PENDING, PledgeStatus.CONFIRMED),
        anonymised_at__isnull=True,
    )
    if email_domain:
        pledges = pledges.filter(
            Q(email_domain=email_domain) | Q(email_domain__endswith="." + email_domain)
        )
    if made_from:
        pledges = pledges.filter(created_at__gte=made_from)
    if made_until:
        pledges = pledges.filter(created_at__lt=made_until)
    if constituency is not None:
        pledges = pledges.filter(constituency=constituency)
    if not network:
        return list(pledges.values_list("pk", flat=True))
    target = ipaddress.ip_network(network, strict=False)
    ids = []
    for pk, prefix in pledges.exclude(client_network="").values_list(
        "pk", "client_network"
    ):
        try:
            if ipaddress.ip_network(prefix).overlaps(target):
                ids.append(pk)
        except (ValueError, TypeError):
            continue
    return ids


def pledges_invalidate(
    *,
    reason: str,
    actor,
    email_domain: str = "",
    network: str = "",
    made_from: datetime | None = None,
    made_until: datetime | None = None,
    constituency: Area | None = None,
) -> PledgeInvalidation:
    """Invalidate every pledge matching a domain, a network and/or a time window
    (at least one), recording why; the counts lose the confirmed ones at once."""
    email_domain = email_domain.strip().lower().lstrip("@.")
    network = network.strip()
    if not reason.strip():
        raise ValidationError({"reason": "Say why these pledges are invalid."})
    if not (email_domain or network or made_from or made_until):
        raise ValidationError(
            "Choose a domain, a network or a time window: invalidating every "
            "pledge is not allowed."
        )
    if network:
        try:
            network = str(ipaddress.ip_network(network, strict=False))
        except ValueError:
            raise ValidationError(
                {"network": "Enter a network like 203.0.113.0/24."}
            ) from None
    with transaction.atomic():
        batch = PledgeInvalidation.objects.create(
            reason=reason.strip()[:300],
            email_domain=email_domain,
            network=network,
            made_from=made_from,
            made_until=made_until,
            constituency=constituency,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        ids = _matching_pledges(
            email_domain=email_domain,
            network=network,
            made_from=made_from,
            made_until=made_until,
            constituency=constituency,
        )
        # Locked in id order; rows confirmed or invalidated meanwhile are seen
        # as they are now.
        locked = list(
            Pledge.objects.select_for_update()
            .filter(
                pk__in=ids, status__in=(PledgeStatus.PENDING, PledgeStatus.CONFIRMED)
            )
            .order_by("pk")
            .values_list("pk", "status", "held", "constituency_id")
        )
        by_shard: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for pk, status, held, constituency_id in locked:
            if status == PledgeStatus.CONFIRMED and not held:
                by_shard[_shard(pk)][constituency_id] -= 1
        Pledge.objects.filter(pk__in=[row[0] for row in locked]).update(
            status=PledgeStatus.INVALIDATED,
            invalidated_at=timezone.now(),
            invalidation=batch,
        )
        for shard in sorted(by_shard):
            pledge_counts_change(changes=dict(by_shard[shard]), shard=shard)
        batch.pledges_invalidated = len(locked)
        batch.counted_removed = -sum(
            sum(changes.values()) for changes in by_shard.values()
        )
        batch.save(update_fields=["pledges_invalidated", "counted_removed"])
    logger.info(
        "Pledge invalidation %s: %s pledges, %s counted",
        batch.pk,
        batch.pledges_invalidated,
        batch.counted_removed,
    )
    return batch


def pledge_counts_recount() -> dict[int, int]:
    """Rebuild every counter from the pledges (a check, and a repair after a
    restore). Returns the counts per area id."""
    from django.db.models import Count

    with transaction.atomic():
        PledgeCount.objects.update(pledges=0)
        totals: dict[int, int] = defaultdict(int)
        for shard in range(PLEDGE_COUNT_SHARDS):
            per_constituency = dict(
                Pledge.objects.annotate(shard=F("pk") % PLEDGE_COUNT_SHARDS)
                .filter(status=PledgeStatus.CONFIRMED, held=False, shard=shard)
                .values("constituency_id")
                .annotate(n=Count("pk"))
                .values_list("constituency_id", "n")
            )
            for area_id, n in pledge_counts_change(
                changes=per_constituency, shard=shard
            ).items():
                totals[area_id] += n
        return dict(totals)


# ================================================================== asks


def candidate_public_email(candidacy: Role) -> str:
    """The candidate's first email address the public may see, or ""."""
    from network.models import ContactDetail, ContactKind
    from network.visibility import Audience, visible_contacts

    contact = (
        visible_contacts(
            ContactDetail.objects.filter(
                person_id=candidacy.person_id, kind=ContactKind.EMAIL
            ),
            Audience.PUBLIC,
        )
        .order_by("sort_order", "pk")
        .first()
    )
    return contact.value if contact is not None else ""


@transaction.atomic
def ask_make(
    *,
    candidacy: Role,
    email: str,
    name: str,
    subject: str,
    message: str,
    client: Client = Client(),  # noqa: B008 (frozen, so safe as a default)
    language: str = "",
) -> ConstituentAsk | None:
    """Take a constituent's message to a candidate, to be sent once they confirm
    by email. One per constituent per candidate per ``ASK_INTERVAL_DAYS``: a
    second within that time changes nothing. The caller answers the same in
    every case (held, repeated or new)."""
    from campaign import tasks

    email = email.strip().lower()
    now = timezone.now()
    since = now - timedelta(days=settings.ASK_INTERVAL_DAYS)
    if ConstituentAsk.objects.filter(
        candidacy=candidacy, email__iexact=email, created_at__gte=since
    ).exists():
        return None
    reason = hold_reason(model=ConstituentAsk, email=email, client=client, now=now)
    ask = ConstituentAsk(
        candidacy=candidacy,
        name=name,
        email=email,
        subject=subject,
        message=message,
        held=bool(reason),
        hold_reason=reason,
        client_hash=client.hash,
        created_at=now,
        language="" if language == settings.LANGUAGE_CODE else language,
    )
    ask.full_clean()
    ask.save()
    if not ask.held:
        _enqueue(tasks.send_ask_confirmation, ask.pk)
    return ask


def ask_confirm(*, ask_id: int) -> ConfirmOutcome:
    """Confirm an ask from its emailed link: queued for sending to the
    candidate's public address, or, where they publish none, recorded (and
    counted all the same)."""
    from campaign import tasks

    with transaction.atomic():
        ask = (
            ConstituentAsk.objects.select_for_update()
            .select_related("candidacy")
            .filter(pk=ask_id)
            .first()
        )
        if ask is None or ask.anonymised_at is not None:
            return ConfirmOutcome.UNKNOWN
        if ask.status != AskStatus.PENDING:
            return ConfirmOutcome.ALREADY
        ask.confirmed_at = timezone.now()
        if candidate_public_email(ask.candidacy):
            ask.status = AskStatus.QUEUED
            _enqueue(tasks.send_ask, ask.pk)
        else:
            ask.status = AskStatus.RECORDED
        ask.save(update_fields=["status", "confirmed_at"])
        purge_public_pages()  # "asked by N constituents" changed
    return ConfirmOutcome.CONFIRMED


ASK_INTERRUPTED = (
    "The sender stopped while handing this message to the mail server. It may "
    "have arrived, so it is not sent again."
)


def ask_deliver(*, ask_id: int, connection=None) -> str:
    """Send one confirmed ask to the candidate, Reply-To the constituent. At most
    once: the row moves from queued to sending (committed) before the message
    goes, so a second run, or a run after a crash, never sends it again (the
    rule of ``updates.sending``). Returns the ask's status afterwards."""
    from campaign.emails import ask_message
    from updates.sending import smtp_error_detail

    claimed = ConstituentAsk.objects.filter(pk=ask_id, status=AskStatus.QUEUED).update(
        status=AskStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        ask = ConstituentAsk.objects.filter(pk=ask_id).only("status").first()
        return ask.status if ask else ""
    ask = ConstituentAsk.objects.select_related(
        "candidacy__person", "candidacy__area"
    ).get(pk=ask_id)
    to = candidate_public_email(ask.candidacy)
    if not to:  # the address was withdrawn since: recorded, still counted
        ConstituentAsk.objects.filter(pk=ask_id).update(status=AskStatus.RECORDED)
        return AskStatus.RECORDED
    try:
        ask_message(ask=ask, to=to, connection=connection).send()
    except Exception as exc:  # noqa: BLE001 (recorded, never raised to a worker)
        detail, _code = smtp_error_detail(exc)
        ConstituentAsk.objects.filter(pk=ask_id).update(
            status=AskStatus.FAILED, last_error=detail[:255]
        )
        logger.warning("ask %s: sending failed (%s)", ask_id, detail)
        return AskStatus.FAILED
    ConstituentAsk.objects.filter(pk=ask_id).update(
        status=AskStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return AskStatus.SENT


def asks_resume_stranded(*, older_than: int = 600) -> int:
    """Queued asks whose task never ran (a worker died first) are queued again;
    asks a dead sender left "sending" may have arrived and are marked failed.
    Returns how many were queued again."""
    from campaign import tasks

    before = timezone.now() - timedelta(seconds=older_than)
    ConstituentAsk.objects.filter(
        status=AskStatus.SENDING, confirmed_at__lt=before
    ).update(status=AskStatus.FAILED, last_error=ASK_INTERRUPTED)
    stranded = list(
        ConstituentAsk.objects.filter(
            status=AskStatus.QUEUED, confirmed_at__lt=before
        ).values_list("pk", flat=True)
    )
    for pk in stranded:
        tasks.send_ask.enqueue(pk)
    return len(stranded)


# ================================================================== retention


def personal_data_retention(*, today=None) -> dict[str, int]:
    """Clear client hashes and networks past ``PLEDGE_CLIENT_RETENTION_HOURS``;
    after the campaign's end date (``CAMPAIGN_ENDS_ON``) anonymise pledges and
    asks (counts kept) and delete unconfirmed ones (never counted)."""
    now = timezone.now()
    cutoff = now - timedelta(hours=settings.PLEDGE_CLIENT_RETENTION_HOURS)
    done = {
        "client_details_cleared": Pledge.objects.filter(created_at__lt=cutoff)
        .exclude(client_hash="", client_network="")
        .update(client_hash="", client_network="")
        + ConstituentAsk.objects.filter(created_at__lt=cutoff)
        .exclude(client_hash="")
        .update(client_hash="")
    }
    ends_on = settings.CAMPAIGN_ENDS_ON
    today = today or timezone.localdate()
    if not ends_on or today <= _as_date(ends_on):
        return done
    with transaction.atomic():
        done["pledges_deleted"] = Pledge.objects.filter(
            status=PledgeStatus.PENDING
        ).delete()[0]
        done["pledges_anonymised"] = Pledge.objects.filter(
            anonymised_at__isnull=True
        ).update(
            name="",
            email="",
            email_domain="",
            client_hash="",
            client_network="",
            anonymised_at=now,
        )
        done["asks_deleted"] = ConstituentAsk.objects.filter(
            status=AskStatus.PENDING
        ).delete()[0]
        done["asks_anonymised"] = ConstituentAsk.objects.filter(
            anonymised_at__isnull=True
        ).update(name="", email="", message="", client_hash="", anonymised_at=now)
    return done


def _as_date(value):
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))
