FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 FNV_VAR_DIR=/app/var
WORKDIR /app
RUN useradd --create-home --uid 1000 fnv && mkdir -p /app/var && chown fnv /app/var
COPY pyproject.toml ./
COPY core ./core
COPY fnvregio ./fnvregio
COPY regions ./regions
COPY members ./members
COPY audit ./audit
COPY loopbaan ./loopbaan
COPY trajectories ./trajectories
COPY signals ./signals
COPY plans ./plans
# Production dependencies only: the demo extra (embedded servers, Faker) and the test tools
# stay out (162 MB of packages instead of 250 MB; see the README).
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings that load: a throwaway key and URLs, never used at run time.
RUN SECRET_KEY=collectstatic-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    MFA_ENCRYPTION_KEY=collectstatic-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    FNV_ERASURE_KEY=collectstatic-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput
USER fnv
EXPOSE 8000
CMD ["gunicorn", "fnvregio.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]
