# The site's image: one image for the web and worker processes (compose.yaml).
# Build: docker build -t ncnv .     Run: see docs/deployment.md
FROM python:3.12-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHON=/opt/venv/bin/python \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    HOST=0.0.0.0 \
    PORT=8000

# libpq for psycopg, the PostgreSQL client for backups (bin/backup, bin/restore).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -m venv $VIRTUAL_ENV \
    && mkdir -p config network cms api ops \
    && touch config/__init__.py network/__init__.py cms/__init__.py api/__init__.py ops/__init__.py \
    && pip install ".[s3]" \
    && pip uninstall -y no-ceasefire-no-vote

COPY --chown=app:app . .

# Hashed, compressed static files, built once into the image. The key, hosts and
# address are placeholders: collectstatic needs settings, not secrets.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    SITE_URL=https://localhost \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media && chown app:app /app/media

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"

ENTRYPOINT ["bin/entrypoint"]
CMD ["web"]
