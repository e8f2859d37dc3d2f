"""docker-compose.yml and the Dockerfile, checked as files.

No Docker engine runs where the tests run, so nothing here builds or starts a
container: the compose file must parse, name the services, the healthcheck,
the required password and the ports the README describes, and the image must
run as a user other than root.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_PASSWORD = "${PARTNERMAP_NEO4J_PASSWORD:?set PARTNERMAP_NEO4J_PASSWORD}"
SERVE = [
    "partnermap",
    "serve",
    "--host",
    "0.0.0.0",
    "--port",
    "8000",
    "--store",
    "neo4j://neo4j:7687",
]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) per instruction, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_compose_runs_neo4j_and_the_api(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"neo4j", "api"}
    assert compose["services"]["neo4j"]["image"] == "neo4j:5.26"
    assert compose["services"]["api"]["build"] == "."


def test_neo4j_password_is_required_and_never_written_down(
    compose: dict[str, Any],
) -> None:
    neo4j, api = compose["services"]["neo4j"], compose["services"]["api"]
    text = (ROOT / "docker-compose.yml").read_text()

    assert neo4j["environment"]["NEO4J_AUTH"] == f"neo4j/{REQUIRED_PASSWORD}"
    assert api["environment"]["PARTNERMAP_NEO4J_PASSWORD"] == REQUIRED_PASSWORD
    # Every variable the file reads is required ($$ is a literal $ for the shell).
    assert set(re.findall(r"(?<!\$)\$\{([^}]*)\}", text)) == {
        "PARTNERMAP_NEO4J_PASSWORD:?set PARTNERMAP_NEO4J_PASSWORD"
    }


def test_neo4j_has_a_healthcheck_and_a_data_volume(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    check = neo4j["healthcheck"]

    assert check["test"][0] == "CMD-SHELL"
    assert "cypher-shell" in check["test"][1] and "RETURN 1" in check["test"][1]
    assert {"interval", "timeout", "retries", "start_period"} <= set(check)
    assert "neo4j-data:/data" in neo4j["volumes"]
    assert "neo4j-data" in compose["volumes"]
    assert neo4j["ports"] == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]


def test_api_waits_for_healthy_neo4j_and_serves_on_8000(
    compose: dict[str, Any],
) -> None:
    api = compose["services"]["api"]

    assert api["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert api["ports"] == ["8000:8000"]
    assert api["command"] == SERVE
    assert api["environment"]["PARTNERMAP_STORE"] == "neo4j://neo4j:7687"


def test_image_runs_as_a_user_other_than_root(
    dockerfile: list[tuple[str, str]],
) -> None:
    users = [args for op, args in dockerfile if op == "USER"]
    last_user = max(i for i, (op, _) in enumerate(dockerfile) if op == "USER")
    last_run = max(i for i, (op, _) in enumerate(dockerfile) if op == "RUN")

    assert users and users[-1] not in {"root", "0", "0:0"}
    assert last_user > last_run
    assert any(
        op == "RUN" and "useradd" in args and users[-1] in args
        for op, args in dockerfile
    )


def test_image_exposes_8000_and_serves(dockerfile: list[tuple[str, str]]) -> None:
    by_op = {op: args for op, args in dockerfile}

    assert by_op["FROM"].startswith("python:3.1")
    assert "8000" in [args for op, args in dockerfile if op == "EXPOSE"]
    assert by_op["CMD"].startswith('["partnermap", "serve"')


def test_docker_context_leaves_out_local_state() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {".git", ".venv", ".neo4j", "*.db"} <= ignored
