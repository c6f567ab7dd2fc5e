"""Shared fixtures: the bundled 2021 spec, unit builders and small inline specs."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

import assessrules
from assessrules import spec_from_text
from assessrules.engine.spec import Spec

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages default to the locale's language: the tests pin an English one, whatever the machine's."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def spec2021() -> Spec:
    """The bundled 2021 spec, loaded once."""
    return assessrules.load_spec("2021")


SMALL_HEAD = """\
spec_format: 1
metadata: {id: small, title: 小测试, scale: 10}
unit_types:
  town: {label: 镇}
  dept: {label: 部门}
"""

SMALL_GRADES = """\
grades:
  - {id: pass, label: 合格, at_least: 6}
  - {id: fail, label: 不合格, below: 6, deduct: 50%}
"""


@pytest.fixture
def small_spec() -> Callable[[str], Spec]:
    """Build a small spec from its facts and indicators (YAML); head and grades are added."""

    def build(body: str, grades: str = SMALL_GRADES) -> Spec:
        return spec_from_text(SMALL_HEAD + textwrap.dedent(body) + grades, "small.yaml")

    return build
