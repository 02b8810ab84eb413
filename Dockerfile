# Image for docker-compose.yml: the web app (gunicorn, configured by gunicorn.conf.py), the
# Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages (the .mo catalogs are built here, not committed).
# Pango and DejaVu fonts: WeasyPrint's PDFs (printed forms, flyers, route sheets) in Cyrillic.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Translations and static files belong to the image; the key below only lets settings load.
RUN DEBUG=1 python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 \
    && DEBUG=0 SECRET_KEY=build-time-only-not-used-at-runtime-0123456789abcdefghijklmnop \
       python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /data/media \
    && chown app /data/media
USER app

EXPOSE 8000
CMD ["gunicorn", "covidarnost.wsgi"]
