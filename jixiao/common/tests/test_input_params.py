"""Query parameters are bounded (a bad one narrows nothing, it never crashes), ``?next=`` stays
on the site, and a model's ValidationError escaping a service answers 400, not 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from jixiao.common.middleware import JixiaoErrorMiddleware
from jixiao.common.views import choice_param, int_param, next_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("", None), ("1e30", None), ("-1", None), ("0", None), ("0x1", None), ("²", None),
     ("9" * 30, None), ("x" * 10000, None), ("[]", None), ("nan", None)],
)  # fmt: skip
def test_int_param_is_a_bounded_id_or_nothing(value: str, expected: int | None) -> None:
    assert int_param(RequestFactory().get("/", {"department": value}), "department") == expected


def test_choice_param_falls_back_to_the_default() -> None:
    request = RequestFactory().get("/", {"as": "x" * 10000})
    assert choice_param(request, "as", ("manager", "peer"), "manager") == "manager"


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/plans/1/", "/plans/1/"), ("https://evil.example/", "home"), ("//evil.example", "home"), ("", "home")],
)
def test_next_stays_on_the_site(target: str, expected: str) -> None:
    assert next_url(RequestFactory().get("/", {"next": target}), "home") == expected


@pytest.mark.django_db
def test_a_validation_error_from_a_model_answers_400_naming_the_field() -> None:
    middleware = JixiaoErrorMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().post("/x/")
    response = middleware.process_exception(request, ValidationError({"code": ["已存在。"]}))
    assert response is not None and response.status_code == 400
    assert "code" in response.content.decode()
