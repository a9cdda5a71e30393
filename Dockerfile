# syntax=docker/dockerfile:1
# IBSU member portal. One image runs the web tier (gunicorn, the default CMD),
# the Celery worker and Celery beat; docker-compose.yml shows all three.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=ibsu.settings \
    DEBUG=0

# Pango, HarfBuzz (with its subsetter) and a font for WeasyPrint's PDFs;
# gettext for compilemessages. No compilers: every dependency ships wheels.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
 && rm -rf /var/lib/apt/lists/*

# The processes run as this user; it owns nothing under /app except the
# private-files directory, so the code and static files are read-only to it.
# Its home holds gunicorn's control socket (~/.gunicorn/gunicorn.ctl).
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

# Dependencies first, so a code change does not reinstall them: exactly the
# versions of the runtime lock, each checked against its hash. The code runs
# from /app.
WORKDIR /tmp/build
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt \
 && rm -rf /tmp/build

WORKDIR /app
COPY . .

# collectstatic with DEBUG=0 (whitenoise's compressed manifest storage) and the
# translations. Settings refuse DEBUG=0 without a real-looking SECRET_KEY and
# ALLOWED_HOSTS, so this step alone gets throwaway values; they are not kept in
# the image. locale/ may hold only .po files (or nothing yet): mkdir keeps
# compilemessages from failing on a checkout without it.
RUN export SECRET_KEY="build-only-dummy-key-for-collectstatic-never-used-at-runtime" \
           ALLOWED_HOSTS="build.invalid" \
 && mkdir -p locale private \
 && python manage.py collectstatic --noinput \
 && python manage.py compilemessages \
 && python -m compileall -q . \
 && chown app:app private

USER app

EXPOSE 8000

# Sends the Host header as the first ALLOWED_HOSTS entry (".example.com" ->
# "example.com", "*" or unset -> 127.0.0.1), so the check passes when
# ALLOWED_HOSTS does not list 127.0.0.1. /healthz is exempt from the HTTPS
# redirect; it answers 503 when the database or broker is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = [x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() not in ('', '*')]; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': (h or ['127.0.0.1'])[0]}), timeout=4)"]

CMD ["sh", "-c", "exec gunicorn ibsu.wsgi:application --bind 0.0.0.0:8000 --worker-class sync --workers \"${GUNICORN_WORKERS:-3}\" --worker-tmp-dir /dev/shm --access-logfile - --error-logfile -"]
