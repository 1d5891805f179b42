from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'test.db'}")


@pytest.fixture
def client(store):
    return TestClient(create_app(store=store, token=""))
