"""``evaluate_many`` holds the cyclic collector and leaves it as it found it (engine/spec.py ``quiet_collector``).

At the end of a batch the objects still alive are moved to the oldest generation (gc.freeze, then
gc.unfreeze) instead of being walked by a young collection. These tests pin what must not change for
the caller: the collector's settings, objects the caller froze, and that garbage is still freed.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

import assessrules
from assessrules.authoring.strategies import perfect_unit
from assessrules.engine import spec as spec_module
from assessrules.engine.spec import Spec, quiet_collector
from assessrules.errors import FactsError


@pytest.fixture(scope="module")
def spec() -> Spec:
    return assessrules.load_spec("2021")


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Restore the collector whatever a test does to it; batches of 5 units or more promote."""
    monkeypatch.setattr(spec_module, "PROMOTE_AT", 5)
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


class Node:
    """An object in a reference cycle, which only the cyclic collector frees."""

    def __init__(self) -> None:
        self.me: Any = self


def units(spec: Spec, count: int) -> list[dict[str, Any]]:
    unit = perfect_unit(spec)
    return [{**unit, "id": f"u{i}"} for i in range(count)]


@pytest.mark.usefixtures("collector")
@pytest.mark.parametrize("enabled", [True, False])
def test_settings_are_left_as_they_were(spec: Spec, enabled: bool) -> None:
    gc.set_threshold(500, 7, 9)
    (gc.enable if enabled else gc.disable)()
    results = spec.evaluate_many(units(spec, 20))
    assert len(results) == 20
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == (enabled, (500, 7, 9), 0)


@pytest.mark.usefixtures("collector")
def test_objects_the_caller_froze_stay_frozen(spec: Spec) -> None:
    gc.collect()
    keeper = Node()
    gc.freeze()
    assert gc.get_freeze_count() > 0
    spec.evaluate_many(units(spec, 5))
    assert gc.get_freeze_count() > 0
    assert not any(o is keeper for g in range(3) for o in gc.get_objects(generation=g))  # still frozen


@pytest.mark.usefixtures("collector")
def test_cycles_are_still_freed(spec: Spec) -> None:
    """A cycle young when the batch ends, and one made inside the batch's caller, are freed by a full collection."""
    gc.collect()
    before = weakref.ref(Node())
    with quiet_collector(promote=True):
        during = weakref.ref(Node())
    results = spec.evaluate_many(units(spec, 5))
    assert before() is not None and during() is not None  # nothing has collected them yet
    gc.collect()
    assert before() is None and during() is None
    assert [r.score for r in results] == [results[0].score] * 5


@pytest.mark.usefixtures("collector")
def test_no_promotion_when_the_batch_fails(spec: Spec) -> None:
    """Refused facts raise as before; the garbage of the failure is left to the young collections."""
    gc.collect()
    gc.disable()  # no young collection of its own moves the marker meanwhile
    marker = Node()
    with pytest.raises(FactsError):
        spec.evaluate_many([{"id": "x", "type": "nowhere", "facts": {}}])
    assert not gc.isenabled() and gc.get_freeze_count() == 0
    assert any(o is marker for o in gc.get_objects(generation=0))  # still young: not promoted
    spec.evaluate_many(units(spec, 4))
    assert any(o is marker for o in gc.get_objects(generation=0))  # a small batch does not promote
    spec.evaluate_many(units(spec, 5))
    assert not any(o is marker for o in gc.get_objects(generation=0))  # a batch that ends well promotes it


@pytest.mark.usefixtures("collector")
def test_results_leave_the_young_generation(spec: Spec) -> None:
    """What a batch made is in the oldest generation when it returns, not left for a young collection to walk."""
    gc.collect()
    gc.disable()
    results = spec.evaluate_many(units(spec, 10))
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert not any(id(r) in young for r in results)
    assert all(gc.is_tracked(r) for r in results)
