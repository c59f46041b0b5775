"""Demo join requests for the admin's queue (fictional people, example.org)."""

from network.models import Area, JoinRequest

DEMO_REQUESTS = [
    {
        "name": "Rowan Testwood",
        "email": "rowan.testwood@example.org",
        "role": "candidate",
        "gss": "E14001102",
        "statement": (
            "I am standing as an independent at the next general election and "
            "would like to coordinate with other candidates in the region."
        ),
    },
    {
        "name": "Morgan Sampleton",
        "email": "morgan.sampleton@example.org",
        "role": "organiser",
        "gss": "E06000008",
        "statement": (
            "I run a weekly stall in the town centre and can help with leafleting "
            "and voter registration drives."
        ),
    },
]


def seed_join_requests() -> list[str]:
    created = 0
    for item in DEMO_REQUESTS:
        _, made = JoinRequest.objects.get_or_create(
            email=item["email"],
            defaults={
                "name": item["name"],
                "role": item["role"],
                "area": Area.objects.filter(gss_code=item["gss"]).first(),
                "statement": item["statement"],
            },
        )
        created += made
    return [f"Join requests: {created} new, {len(DEMO_REQUESTS) - created} kept."]
