"""Trained runs shared by the Derivation tests (trained once per test session)."""

import pytest

from dashboard.playground.compute import train_playground
from dashboard.settings import Settings


@pytest.fixture(scope="session")
def runs():
    return {
        "spiral": train_playground(Settings(steps=120)),
        "blobs_raw": train_playground(Settings(dataset="blobs", features="raw", steps=80)),
        "iris": train_playground(Settings(dataset="iris", steps=80)),
        "xor_poly": train_playground(
            Settings(dataset="xor", n_classes=2, features="poly", degree=2, steps=60)
        ),
    }
