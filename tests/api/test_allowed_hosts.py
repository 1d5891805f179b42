"""The API answers only requests addressed to it (security review, F2): a page on another site
can point its own name at 127.0.0.1 (DNS rebinding) and read the no-token local server, whose
requests then carry that site's name in ``Host``.  A Host that is not one of the allowed names
is refused with 400 (Starlette's TrustedHostMiddleware): the names of the address served
(``localhost``, ``127.0.0.1``, ``[::1]`` for loopback), plus ``DIST401K_ALLOWED_HOSTS``
(docs/api.md, "Allowed hosts"); a Host that is an IP address is served (it cannot carry a
rebinding).  Failed before the fix: any Host got 200."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.store import Store


@pytest.fixture
def make(tmp_path, monkeypatch):
    """A client of an app made as `dist401k serve --host BIND` makes it, with the Host given."""
    monkeypatch.delenv("DIST401K_ALLOWED_HOSTS", raising=False)

    def client(host: str, bind: str | None = "127.0.0.1", allowed: str | None = None):
        if bind is not None:
            monkeypatch.setenv("DIST401K_BIND_HOST", bind)
        else:
            monkeypatch.delenv("DIST401K_BIND_HOST", raising=False)
        if allowed is not None:
            monkeypatch.setenv("DIST401K_ALLOWED_HOSTS", allowed)
        app = create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token="")
        return TestClient(app, base_url=f"http://{host}")

    return client


def test_a_rebinding_host_is_refused_and_no_case_is_read(make):
    """The reviewer's request: Host rebind.attacker.example:18401 read /cases (200)."""
    assert make("127.0.0.1:18401").get("/cases").status_code == 200
    r = make("rebind.attacker.example:18401").get("/cases")
    assert r.status_code == 400
    assert "case" not in r.text


@pytest.mark.parametrize("host", ["127.0.0.1:18401", "localhost:18401", "LOCALHOST", "[::1]:18401",
                                  "127.0.0.1"])
def test_the_loopback_names_are_served(make, host):
    assert make(host).get("/health").status_code == 200


@pytest.mark.parametrize("bind", ["::1", "localhost", "127.0.0.1"])
def test_any_loopback_bind_allows_every_loopback_name(make, bind):
    assert make("localhost:8401", bind=bind).get("/cases").status_code == 200
    assert make("[::1]:8401", bind=bind).get("/cases").status_code == 200
    assert make("evil.example", bind=bind).get("/cases").status_code == 400


def test_without_a_bind_host_only_loopback_names_are_served(make):
    """An app made outside `dist401k serve` (uvicorn's own factory call) defaults to
    loopback."""
    assert make("127.0.0.1:8000", bind=None).get("/health").status_code == 200
    assert make("evil.example:8000", bind=None).get("/health").status_code == 400


def test_an_address_bound_serves_its_own_name_not_others(make):
    assert make("192.0.2.10:8401", bind="192.0.2.10").get("/health").status_code == 200
    assert make("evil.example:8401", bind="192.0.2.10").get("/health").status_code == 400


def test_the_setting_adds_the_names_a_deployment_is_reached_by(make):
    allowed = " api.example.com, *.corp.example "
    assert make("api.example.com", allowed=allowed).get("/health").status_code == 200
    assert make("x.corp.example:443", allowed=allowed).get("/health").status_code == 200
    assert make("127.0.0.1:8401", allowed=allowed).get("/health").status_code == 200
    assert make("evil.example", allowed=allowed).get("/health").status_code == 400


def test_a_star_turns_the_check_off_for_a_proxy_that_checks_host_itself(make):
    assert make("anything.example", allowed="*").get("/health").status_code == 200


def test_the_tests_test_client_name_is_not_allowed_in_production(make):
    """TestClient's default Host, testserver, is allowed only by the tests' own setting."""
    assert make("testserver").get("/health").status_code == 400


@pytest.mark.parametrize("host", ["10.244.1.7:8401", "10.244.1.7", "[fd00::7]:8401", "[fd00::7]"])
@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "127.0.0.1"])
def test_a_request_to_an_address_is_served(make, host, bind):
    """A cluster's probe or a proxy reaches the server by its address (review of 2026-12-06:
    `serve --host 0.0.0.0` refused Host 10.244.1.7:8401 with 400). An address cannot carry DNS
    rebinding, which needs a name; a name not allowed is still refused on the same bind."""
    assert make(host, bind=bind).get("/health").status_code == 200
    assert make("rebind.attacker.example:8401", bind=bind).get("/health").status_code == 400


@pytest.mark.parametrize("host", ["10.0.0.7.evil.example", "10.0.0.7:80:80", "[fd00::7", "1.2.3",
                                  "localhost.", "evil.example:8401", ""])
def test_a_name_that_only_looks_like_an_address_is_not_one(host):
    from dist401k.api_guard import host_is_an_address

    assert not host_is_an_address(host)


@pytest.mark.parametrize("setting, words", [
    ("example.com:8401", "without its port"),
    ("bad host!", "a host name or an IPv4 address"),
    ("example.com, ex ample.org", "a host name or an IPv4 address"),
    ("*bad", "a wildcard is written"),
])
def test_a_malformed_entry_is_refused_naming_the_setting(setting, words):
    """docs/api.md: "a malformed entry stops `serve` before it starts".  An entry with its port
    (`example.com:8401`) was accepted, and then every request by that name got 400: the check
    compares the name without the port."""
    from dist401k.api_guard import ALLOWED_HOSTS_ENV, allowed_hosts
    with pytest.raises(ValueError, match=f"^{ALLOWED_HOSTS_ENV}: .*{words}"):
        allowed_hosts("127.0.0.1", setting)


def test_well_formed_entries_are_kept():
    from dist401k.api_guard import allowed_hosts
    names = allowed_hosts("127.0.0.1", "Example.com, *.corp.example, 10.1.2.3, *, my_host")
    assert {"example.com", "*.corp.example", "10.1.2.3", "*", "my_host"} <= set(names)
