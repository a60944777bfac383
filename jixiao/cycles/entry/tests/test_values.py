"""Values are checked where they are entered: a measure's kind and range (count ≥ 0 whole,
percent 0–100, …), ratings within the rubric; a refused inline save answers with the cell again,
the user's input kept, the refusal shown and never "已保存"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.common.errors import JixiaoError
from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.entry.services import actual_set, score_set
from jixiao.cycles.tests.helpers import member_of, open_cycle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("orders", "-50", "小于 0"),
        ("orders", "2.5", "不是整数"),
        ("orders", "1e30", "大于"),
        ("inquiries", "1e12", "大于"),
        ("orders", "nan", "不是数字"),
        ("orders", "inf", "不是数字"),
        ("satisfaction", "250", "大于 100"),
        ("response_seconds", "-1", "小于 0"),
    ],
)
def test_actual_set_refuses_values_outside_the_measures_range(
    personas: Any, key: str, value: str, says: str
) -> None:
    member = member_of(personas, open_cycle(personas))
    with pytest.raises(JixiaoError) as refused:
        actual_set(user=personas["hr"], member=member, measure_key=key, value=value)
    assert says in refused.value.zh and refused.value.en
    assert "应填写" in refused.value.zh  # and says what to enter
    assert not Actual.objects.filter(member=member).exists()


def test_values_inside_the_range_are_kept_exactly(personas: Any) -> None:
    member = member_of(personas, open_cycle(personas))
    actual_set(user=personas["hr"], member=member, measure_key="satisfaction", value="96.5")
    actual_set(user=personas["hr"], member=member, measure_key="orders", value="30")
    assert dict(Actual.objects.filter(member=member).values_list("measure_key", "value")) == {
        "satisfaction": "96.5",
        "orders": "30",
    }


def test_a_rating_outside_the_rubric_is_refused(personas: Any) -> None:
    member = member_of(personas, open_cycle(personas))
    for value in ("1e30", "nan", "superb", "-5"):
        with pytest.raises(JixiaoError):
            score_set(
                user=personas["head"],
                member=member,
                indicator_key="teamwork",
                rater_kind="manager",
                value=value,
            )
    assert not Score.objects.filter(member=member).exists()


def test_a_refused_grid_cell_answers_with_the_error_in_the_cell(personas: Any, client_for: Any) -> None:
    member = member_of(personas, open_cycle(personas))
    answer = client_for("head").post(
        reverse("cycles:score_save", args=[member.pk]),
        {"indicator": "teamwork", "kind": "manager", "value": "1e30", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'class="cell error"' in html and 'role="alert"' in html
    assert "已保存" not in html


def test_a_refused_actual_keeps_the_input_and_shows_the_range(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    member = member_of(personas, cycle)
    answer = client_for("hr").post(
        reverse("cycles:actual_save", args=[member.pk]), {"measure": "orders", "value": "abc", "version": "0"}
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'value="abc"' in html and "cell error" in html and "已保存" not in html
    assert "不是数字" in html
    page = client_for("hr").get(reverse("cycles:actuals_entry", args=[cycle.pk])).content.decode()
    assert "0–100" in page  # satisfaction, a percentage: the range beside the box
    assert "的整数" in page  # counts are whole numbers
