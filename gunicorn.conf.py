"""gunicorn settings for the web process (`bin/entrypoint web`).

Every value can be changed from the environment, so the same file serves one small
machine and a fleet behind a load balancer. See docs/deployment.md for sizing.
"""

import multiprocessing
import os

# Where to listen. The container sets HOST=0.0.0.0; on a bare machine keep the
# default and put a proxy (Caddy, nginx) or load balancer in front.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Processes x threads = requests served at once. Two processes per core plus one
# is gunicorn's rule of thumb; threads let a process overlap database waits.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is stuck: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks never add up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Heartbeat files on shared memory: an overlay file system can stall them.
# A fixed system folder, not a temporary file name anyone could guess or race for.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108

# Request heads: gunicorn's own limits on the request line, the number of header
# fields and the size of each, written down (they are its defaults). gunicorn has
# no limit on bodies: the proxy (docs/deployment.md) and the site itself
# (ops/requestsize.py, 413 from Content-Length before reading) refuse large ones.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The proxies allowed to tell gunicorn the original scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs: stdout, one JSON object per line (ops/logging.py). The access line holds
# method, path without query string, status, size, duration and request id: no
# client address, user agent or referrer, which are personal data.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "access": {"()": "ops.logging.GunicornAccessFormatter"},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["access"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
