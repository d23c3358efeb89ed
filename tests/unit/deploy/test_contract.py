"""The environment contract as the scripts and docker-compose.yml hand it out: one definition of every
default, and per process only the secrets it needs (issue 8 item 3, issue 6 "settings defined once")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.environment import ADMIN_ONLY, SECRETS, Contract, foreign_secrets, granted, without_secrets
from deploy.gateway.gateway import PROBLEMS_CONF, TEMPLATE, GatewayPaths, problems_conf, template_values
from deploy.kafka.broker import server_properties
from deploy.keys import key_files
from deploy.postgres.cluster import local_admin
from shared.contracts.topics import SERVICES
from shared.platform.settings import Settings

REPO = Path(__file__).resolve().parents[3]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return data


def contract(tmp_path: Path) -> Contract:
    return Contract(local_admin(), "127.0.0.1:1", key_files(tmp_path))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_process_gets_only_its_own_secrets(service: str, tmp_path: Path) -> None:
    env = contract(tmp_path).for_service(service)
    assert foreign_secrets(service, env) == set()
    assert not set(ADMIN_ONLY) & set(env)
    assert {secret.variable(service) for secret in granted(service)} <= set(env)
    assert ("JIFEN_JWT_PRIVATE_KEY_FILE" in env) == (service == "accounts")


def test_an_inherited_environment_loses_every_secret(tmp_path: Path) -> None:
    everything = {**contract(tmp_path).for_tests(), "DATABASE_URL": "postgresql://admin@x/y", "PATH": "/bin"}
    kept = without_secrets(everything)
    assert "PATH" in kept and "JIFEN_PG_HOST" in kept
    assert not any(secret.variable(s) in kept for secret in SECRETS for s in SERVICES)
    assert not set(ADMIN_ONLY) & set(kept)


@pytest.mark.parametrize("service", SERVICES)
def test_each_compose_service_gets_only_its_own_secrets_and_keys(service: str) -> None:
    """docker-compose.yml cannot be run here (no Docker engine); this keeps it to the same table."""
    definition = compose()["services"][service]
    env = definition["environment"]
    assert foreign_secrets(service, env) == set()
    assert not set(ADMIN_ONLY) & set(env)
    assert {secret.variable(service) for secret in granted(service)} <= set(env)
    volumes = {volume.split(":")[0] for volume in definition["volumes"]}
    assert ("jwt-private-key" in volumes) == (service == "accounts")
    if service == "accounts":
        private_key = env["JIFEN_JWT_PRIVATE_KEY_FILE"]
        mounts = {volume.split(":")[1] for volume in definition["volumes"]}
        assert any(private_key.startswith(mount + "/") for mount in mounts)


def test_the_compose_gateway_fills_every_placeholder_of_the_template() -> None:
    gateway = compose()["services"]["gateway"]
    placeholders = set(re.findall(r"\$\{(JIFEN_[A-Z0-9_]+)\}", TEMPLATE.read_text()))
    command = " ".join(gateway["command"])
    substituted = set(re.findall(r"\$\{(JIFEN_[A-Z0-9_]+)\}", command))
    assert substituted == placeholders
    assert placeholders <= set(gateway["environment"])


def test_the_gateways_problem_texts_are_generated_from_the_catalogues() -> None:
    """``python -m deploy.gateway problems`` regenerates deploy/gateway/problems.conf."""
    assert PROBLEMS_CONF.read_text(encoding="utf-8") == problems_conf()


def test_a_port_set_once_moves_the_services_and_the_scripts_alike(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in {
        "JIFEN_PG_PORT": "55999",
        "JIFEN_KAFKA_PORT": "29092",
        "JIFEN_GATEWAY_PORT": "18080",
        "JIFEN_REVIEW_PORT": "18003",
        "JIFEN_REVIEW_DB_PASSWORD": "review-secret",
    }.items():
        monkeypatch.setenv(name, value)
    # A test run sets these from its ports; here they must follow the ports set above.
    for derived in ("JIFEN_KAFKA_BOOTSTRAP", "JIFEN_KAFKA_CONTROLLER_PORT", "JIFEN_GATEWAY_URL"):
        monkeypatch.delenv(derived, raising=False)
    settings = Settings.from_env("review")
    assert settings.pg_port == local_admin().port == 55999
    assert settings.http_port == 18003
    assert settings.db_password == "review-secret"
    assert settings.kafka_bootstrap == "127.0.0.1:29092"
    assert "listeners=PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093" in server_properties(tmp_path)
    assert settings.gateway_url == "http://127.0.0.1:18080"
    paths = GatewayPaths(tmp_path, tmp_path / "c", tmp_path / "p", tmp_path / "l")
    values = template_values(paths, tmp_path)
    assert values["JIFEN_GATEWAY_LISTEN"] == "127.0.0.1:18080"
    assert values["JIFEN_REVIEW_UPSTREAM"] == "127.0.0.1:18003"
    env = contract(tmp_path).for_service("review")
    assert Settings.from_env("review", env).http_port == 18003
    assert Settings.from_env("review", env).db_password == "review-secret"


def test_defaults_apply_when_nothing_is_set() -> None:
    settings = Settings.from_env("documents", {})
    assert (settings.pg_port, settings.http_port, settings.db_user) == (55432, 8004, "jifen_documents")
    assert settings.kafka_bootstrap == "127.0.0.1:19092"
    assert Settings(service="documents").pg_port == settings.pg_port
