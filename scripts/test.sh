#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need,
# starts a real Neo4j, runs pytest, stops Neo4j. Extra arguments go to pytest.
#
#   bash scripts/test.sh              # everything
#   bash scripts/test.sh tests/graph  # a part
#
# Needs Python 3.11+, and for the Neo4j and browser tests Java 17 + Maven and
# Debian's chromium (installed with apt-get when run as root). Without them
# those tests are skipped with the reason, except under CI=true, where a
# skipped Neo4j or browser test is a failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Python packages, in a virtual environment of the clone's own.
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'

# Chromium for the page tests (Debian's package; Playwright's own download
# cannot be fetched here).
if ! command -v chromium >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "test.sh: installing chromium with apt-get"
        apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
    else
        echo "test.sh: chromium not found: browser tests will be skipped" >&2
    fi
fi

# A real Neo4j for the store contract tests, stopped whatever happens.
if command -v java >/dev/null && command -v mvn >/dev/null; then
    export PARTNERMAP_NEO4J_PASSWORD=${PARTNERMAP_NEO4J_PASSWORD:-partnermap-test-$RANDOM$RANDOM}
    export NEO4J_BOLT_PORT=${NEO4J_BOLT_PORT:-7687}
    export NEO4J_STATE_DIR=${NEO4J_STATE_DIR:-$PWD/.neo4j/test}
    bash .ci/neo4j.sh stop >/dev/null 2>&1 || true
    rm -rf "$NEO4J_STATE_DIR"
    bash .ci/neo4j.sh build
    bash .ci/neo4j.sh start
    trap 'bash .ci/neo4j.sh stop' EXIT
    bash .ci/neo4j.sh wait
    export PARTNERMAP_TEST_NEO4J_URL=bolt://127.0.0.1:$NEO4J_BOLT_PORT
else
    echo "test.sh: java or mvn not found: Neo4j tests will be skipped" >&2
fi

.venv/bin/python -m pytest "$@"
