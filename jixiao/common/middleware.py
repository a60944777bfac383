"""Turn a refused request (:class:`JixiaoError`) into a clear bilingual 4xx answer."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import JixiaoError, Problem


def _refusal_of(error: ValidationError) -> JixiaoError:
    """A Django ``ValidationError`` that escaped a service, as a bilingual 400 naming each field."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    problems = [
        Problem(zh=message, en=message, where="" if name == "__all__" else name)
        for name, messages in by_field.items()
        for message in messages
    ]
    return JixiaoError(
        zh="输入未通过检查，未保存：" + "；".join(p.text() for p in problems),
        en="The input was refused and nothing was saved: " + "; ".join(p.text() for p in problems),
        code="invalid",
        problems=problems,
    )


class JixiaoErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ValidationError):  # a model's own check refused the input
            exception = _refusal_of(exception)
        if not isinstance(exception, JixiaoError):
            return None
        if request.path.startswith("/api/") or request.headers.get("Accept", "").startswith(
            "application/json"
        ):
            return JsonResponse(exception.as_dict(), status=exception.status)
        return render(request, "error.html", {"error": exception}, status=exception.status)


class ChineseFirstLocaleMiddleware:
    """Activate the language the user chose (the language cookie), else Simplified Chinese.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser on a Chinese intranet would get English by default; Jixiao's users read Chinese, so
    Chinese is the default and English is a choice (the switch in the top bar sets the cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
