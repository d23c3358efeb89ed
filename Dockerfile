# Jifen service image: one image, four services (`python -m services.<name>`), plus the one-shot
# provisioning commands used by docker-compose.yml (`python -m deploy.postgres provision`,
# `python -m deploy.kafka.broker topics`, `python -m deploy.keys`).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    JIFEN_RUN_DIR=/app/.run

# CJK fonts for Typst PDF rendering (documents service); see ARCHITECTURE.md §6.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (cached while pyproject.toml is unchanged): install the project with empty
# package folders, then drop the project itself; the code comes in on PYTHONPATH below.
COPY pyproject.toml ./
RUN mkdir -p services shared \
 && pip install . \
 && pip uninstall -y jifen \
 && rm -rf build *.egg-info

COPY shared ./shared
COPY services ./services
COPY deploy ./deploy

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin jifen \
 && mkdir -p /app/.run /keys/private /keys/public \
 && chown -R jifen /app/.run /keys
USER jifen

# Overridden per service in docker-compose.yml.
CMD ["python", "-m", "services.accounts"]
