# The partnermap API and pages, as docker-compose.yml runs them beside Neo4j.
#   docker build -t partnermap .
# It runs as the unprivileged user "partnermap"; the store URL and the Neo4j
# credentials come from the environment (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY partnermap ./partnermap
COPY examples ./examples
RUN pip install . \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin partnermap

USER partnermap
ENV PARTNERMAP_EXAMPLE=/app/examples/nyc
EXPOSE 8000
CMD ["partnermap", "serve", "--host", "0.0.0.0", "--port", "8000", "--store", "neo4j://neo4j:7687"]
