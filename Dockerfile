# One image for the web (gunicorn), the Celery worker and Celery beat; see
# docker-compose.yml. Dependencies come from uv.lock, without the dev group.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage

# WeasyPrint's system libraries (Pango, HarfBuzz) and fonts for the PDFs (DejaVu, named by
# the packs' style sheet and the stamps, covers French accents and Cyrillic); poppler's
# pdftoppm rasterises a leaked PDF's pages for the leak tracer.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation poppler-utils \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .
# The interface's catalogs compiled with gettext's msgfmt, which leaves the image after.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && python manage.py compilemessages --ignore .venv \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/*
# Collected with the image's settings (DEBUG off, the manifest storage above).
RUN python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin consult \
    && mkdir -p var/media \
    && chown -R consult var

USER consult
EXPOSE 8000
# Worker processes: WEB_CONCURRENCY (gunicorn reads it), 1 if unset. Threads: the live
# channels (the alerts' on every signed-in page of a head or the secretariat, an exercise's)
# each hold a thread for EXERCISE_LIVE_SECONDS; sync workers would be held by them.
CMD ["gunicorn", "consult.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60", "--worker-class", "gthread", "--threads", "8"]
