"""Explanations: every point is traced to its indicator, trigger, facts and clause."""

from __future__ import annotations

from decimal import Decimal

from assessrules.engine.spec import Spec

from .helpers import make_unit


def example_b(spec: Spec) -> object:
    return spec.evaluate(make_unit(
        target=3, basic_elements_missing=2, has_work_body=False, has_annual_report=False, has_interaction=False,
        new_media_problems=3, late_disclosures=7, monthly_missed=3, criticisms_city=1, criticisms_county=2))


def test_every_point_lost_is_traced_to_a_trigger_with_its_facts(spec2021: Spec) -> None:
    """The fired triggers and missed awards add up to the points lost on each leaf."""
    result = example_b(spec2021)
    for indicator in result.indicators:  # type: ignore[attr-defined]
        node = spec2021.indicator(indicator.id)
        if node.children or not indicator.applicable:
            continue
        awarded = sum((f.points for f in indicator.fired if f.effect == "award"), Decimal(0))
        deducted = sum((f.points for f in indicator.fired if f.effect == "deduction"), Decimal(0))
        start = Decimal(0) if any(t.kind == "award_if" for t in node.triggers) else node.points
        assert indicator.raw == start + awarded + deducted
        for fired in indicator.fired:
            assert fired.facts, fired.label


def test_the_account_names_rules_facts_clauses_and_assumptions(spec2021: Spec) -> None:
    """explain() says which rule, which facts, how many points, which clause, which assumption."""
    text = example_b(spec2021).explain()  # type: ignore[attr-defined]
    assert "最终得分 71 分 · 等次 良好 · 扣减目标分值 1 分（目标分值 3 分）" in text
    assert "−5  基础信息要素缺失或未及时更新：2 次 × 2.5 分" in text
    assert "事实：basic_elements_missing（基础信息要素缺失或未及时更新项数） = 2" in text
    assert "解读〔duties-per-element〕" in text
    assert "+0  明确政务公开工作机构（未得分，本项 5 分）" in text
    assert "−1.5  月度考核：重点领域信息未按要求公开：3 个月 × 0.5 分" in text
    assert "2021-02：key_areas_disclosed（重点领域信息按要求公开） = 否  −0.5" in text
    assert "良好（70 ≤ 71 < 90）：不扣分" in text
    assert "−0.5  县政府办公室通报批评：2 次 × 0.25 分" in text
    assert "依据：五、直接扣分项：每次分别扣减单位目标分0.25分" in text


def test_floors_and_caps_on_the_target_are_told(spec2021: Spec) -> None:
    """扣完为止 on a node and on the target value both appear in the account."""
    result = spec2021.evaluate(make_unit(target=2, has_new_media_account=False, late_disclosures=45,
                                         criticisms_state_council=1))
    text = result.explain()
    assert "→ 0  无\"两微一端\"不得分" in text
    assert "扣完为止：-5 计为 0" in text
    assert "合计扣减 2 分（扣完为止：不超过目标分值 2 分）" in text


def test_to_dict_carries_the_same_trace(spec2021: Spec) -> None:
    """The JSON view has every fired trigger with label, clause, count, points and facts."""
    data = example_b(spec2021).to_dict()  # type: ignore[attr-defined]
    timeliness = next(i for i in data["indicators"] if i["id"] == "timeliness")
    assert timeliness["fired"] == [{
        "kind": "deduct_each", "label": "未按时限公开政府信息",
        "clause": "附件 考评细则 公开内容时效性：发现1次扣除1分，扣完为止", "assumption": None,
        "count": "7", "points": "-7", "effect": "deduction", "facts": {"late_disclosures": 7},
        "evidence": [{"name": "late_records", "label": "查看资料发现的未按时公开信息条数", "kind": "count", "value": 0,
                      "periods": [], "records": []}]}]
    assert data["grade"] == {"id": "good", "label": "良好"}
    assert data["receipt"]["spec_id"] == "zhenping-2021"
