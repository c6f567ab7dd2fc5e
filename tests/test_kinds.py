"""Each trigger kind, floors, caps and applicability, on small specs of their own."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from assessrules.engine.spec import Spec

Build = Callable[[str], Spec]


def unit(unit_type: str = "town", target: int = 4, **facts: object) -> dict[str, object]:
    return {"id": "u", "name": "单位", "type": unit_type, "target": target, "facts": facts}


def node(result: object, node_id: str) -> object:
    return next(i for i in result.indicators if i.id == node_id)  # type: ignore[attr-defined]


def test_deduct_each_takes_count_times_points_up_to_its_maximum(small_spec: Build) -> None:
    """Per-occurrence deduction: count × points, at most `max`, recorded with its count."""
    spec = small_spec("""
        facts:
          errors: {type: count, label: 差错数, default: 0}
        indicators:
          - id: quality
            name: 质量
            points: 10
            deduct:
              - {label: 差错, per: errors, points: 0.75, max: 3}
        """)
    assert spec.evaluate(unit(errors=2)).score == Decimal("8.5")
    capped = spec.evaluate(unit(errors=10))
    assert capped.score == Decimal(7)
    fired = capped.fired[0]
    assert (fired.kind, fired.count, fired.points) == ("deduct_each", Decimal(10), Decimal(-3))
    assert spec.evaluate(unit(errors=0)).fired == ()


def test_deduct_if_takes_flat_points_when_the_condition_holds(small_spec: Build) -> None:
    """Flat deduction: the points go when the condition is true and not otherwise."""
    spec = small_spec("""
        facts:
          has_feature: {type: bool, label: 有功能, required: true}
        indicators:
          - {id: a, name: 甲, points: 10, deduct: [{label: 无功能, if: not has_feature, points: 5}]}
        """)
    assert spec.evaluate(unit(has_feature=False)).score == Decimal(5)
    assert spec.evaluate(unit(has_feature=True)).score == Decimal(10)


def test_award_if_starts_the_indicator_from_zero(small_spec: Build) -> None:
    """Awards add up from 0; an award not earned is reported as not awarded."""
    spec = small_spec("""
        facts:
          x: {type: bool, label: 甲项, required: true}
          y: {type: bool, label: 乙项, required: true}
        indicators:
          - id: a
            name: 甲
            points: 10
            award:
              - {label: 有甲, if: x, points: 4}
              - {label: 有乙, if: y, points: 6}
        """)
    result = spec.evaluate(unit(x=True, y=False))
    assert result.score == Decimal(4)
    a = node(result, "a")
    assert [m.label for m in a.missed] == ["有乙"]  # type: ignore[attr-defined]
    assert spec.evaluate(unit(x=False, y=False)).score == Decimal(0)


def test_zero_out_wins_over_every_other_trigger(small_spec: Build) -> None:
    """Zero-out (无…不得分): the node scores 0 and no deduction is counted on it."""
    spec = small_spec("""
        facts:
          has_account: {type: bool, label: 有账号, required: true}
          problems: {type: count, label: 问题, default: 0}
        indicators:
          - id: a
            name: 甲
            points: 10
            zero: [{label: 无账号不得分, if: not has_account}]
            deduct: [{label: 问题, per: problems, points: 1}]
        """)
    result = spec.evaluate(unit(has_account=False, problems=3))
    assert result.score == Decimal(0)
    a = node(result, "a")
    assert a.zeroed is True  # type: ignore[attr-defined]
    assert [f.kind for f in result.fired] == ["zero_if"]
    assert spec.evaluate(unit(has_account=True, problems=3)).score == Decimal(7)


def test_score_expression_sets_the_base_and_is_capped_and_floored(small_spec: Build) -> None:
    """A score expression gives the base; the engine caps it at the points and floors it at 0."""
    spec = small_spec("""
        facts:
          rate: {type: ratio, label: 办理率, required: true}
        indicators:
          - id: a
            name: 甲
            points: 10
            score: {label: 按比例得分, expr: (rate - 0.5) * 40}
        """)
    assert spec.evaluate(unit(rate="80%")).score == Decimal(10)
    assert node(spec.evaluate(unit(rate="80%")), "a").capped is True  # type: ignore[attr-defined]
    assert spec.evaluate(unit(rate=Decimal("0.6"))).score == Decimal(4)
    low = node(spec.evaluate(unit(rate=Decimal("0.25"))), "a")
    assert (low.raw, low.score, low.floored) == (Decimal(-10), Decimal(0), True)  # type: ignore[attr-defined]


def test_floor_null_lets_a_node_go_below_zero(small_spec: Build) -> None:
    """`floor: null` says the document lets deductions go below 0 on that node."""
    spec = small_spec("""
        facts:
          late: {type: count, label: 迟报, default: 0}
        indicators:
          - id: a
            name: 甲
            points: 5
            floor: null
            deduct: [{label: 迟报, per: late, points: 1}]
          - {id: b, name: 乙, points: 5}
        """)
    result = spec.evaluate(unit(late=8))
    assert node(result, "a").score == Decimal(-3)  # type: ignore[attr-defined]
    assert result.score == Decimal(2)


def test_triggers_on_a_parent_act_on_the_sum_of_its_children(small_spec: Build) -> None:
    """A parent's deduction applies after its children are summed, and the parent's floor holds."""
    spec = small_spec("""
        facts:
          missed: {type: count, label: 未完成, default: 0}
        indicators:
          - id: group
            name: 组
            points: 10
            deduct: [{label: 未完成, per: missed, points: 4}]
            children:
              - {id: a, name: 甲, points: 6}
              - {id: b, name: 乙, points: 4}
        """)
    assert spec.evaluate(unit(missed=1)).score == Decimal(6)
    floored = node(spec.evaluate(unit(missed=3)), "group")
    assert (floored.raw, floored.score) == (Decimal(-2), Decimal(0))  # type: ignore[attr-defined]


def test_an_indicator_that_does_not_apply_counts_as_full_marks(small_spec: Build) -> None:
    """`unit_types` limits an indicator; for other units it is not assessed and counts in full."""
    spec = small_spec("""
        facts:
          late: {type: count, label: 迟报, default: 0}
        indicators:
          - id: a
            name: 甲
            points: 10
            unit_types: [town]
            deduct: [{label: 迟报, per: late, points: 1}]
        """)
    assert spec.evaluate(unit("town", late=3)).score == Decimal(7)
    dept = spec.evaluate(unit("dept", late=3))
    assert dept.score == Decimal(10)
    assert node(dept, "a").applicable is False  # type: ignore[attr-defined]
    assert dept.fired == ()


def test_grade_consequence_and_direct_deductions_are_capped_at_the_target(small_spec: Build) -> None:
    """The grade's share of the target plus direct deductions never exceed the target (扣完为止)."""
    spec = small_spec("""
        facts:
          late: {type: count, label: 迟报, default: 0}
          notices: {type: count, label: 通报批评, default: 0}
        indicators:
          - {id: a, name: 甲, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}
        direct_deductions:
          deduct: [{label: 通报批评, per: notices, points: 1.5}]
        """)
    fair = spec.evaluate(unit(target=4, late=5, notices=1))
    assert (fair.grade, fair.grade_deduction, fair.deduction) == ("不合格", Decimal(2), Decimal("3.5"))
    capped = spec.evaluate(unit(target=4, late=5, notices=3))
    assert (capped.deduction, capped.deduction_capped) == (Decimal(4), True)
    assert [f.label for f in capped.direct_deductions] == ["通报批评"]


def test_points_may_be_an_expression_over_parameters(small_spec: Build) -> None:
    """`points:` accepts an expression over parameters, evaluated exactly once at load."""
    spec = small_spec("""
        parameters:
          each: {value: 0.25, label: 每次扣分}
        facts:
          late: {type: count, label: 迟报, default: 0}
        indicators:
          - {id: a, name: 甲, points: 10, deduct: [{label: 迟报, per: late, points: each * 2}]}
        """)
    assert spec.evaluate(unit(late=3)).score == Decimal("8.5")
