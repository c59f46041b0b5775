"""Production settings plus the load benchmark's trivial baseline view.

Only `bench/load.py` uses this module: it serves the site exactly as production
does (gunicorn, DEBUG off, WhiteNoise, Redis, page cache) on 127.0.0.1 over plain
HTTP, with one extra URL answered by a trivial view.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import PUBLIC_PAGE_CACHE_EXCLUDE_PREFIXES

ROOT_URLCONF = "bench.urls"
# The baseline measures Django's own floor: it must not come from the page cache.
PUBLIC_PAGE_CACHE_EXCLUDE_PREFIXES = [*PUBLIC_PAGE_CACHE_EXCLUDE_PREFIXES, "/bench/"]
