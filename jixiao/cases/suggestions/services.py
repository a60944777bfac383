"""Writes of suggestions (意见反馈): anyone logged in makes one; HR answers it or closes it as
noted, and publishes an answer (or takes it back). Steps are rows of ``workflow.SUGGESTION``
applied by ``transition_apply``; the making is ``audited_create``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import parse_text, refuse
from jixiao.engine.text import Text
from jixiao.notifications.services import notify, users_with_roles
from jixiao.workflow.services import audited_create, transition_apply

from .models import Suggestion, Topic
from .workflow import SUGGESTION

TITLE_LENGTH = 200
TEXT_LENGTH = 5_000
ANSWER_LENGTH = 5_000
FIELDS = ("topic", "state", "title", "text")


def _text(value: object, zh: str, en: str, *, max_length: int, required: bool = True) -> str:
    field = Text(zh, en)
    text = parse_text(value, field=field, max_length=max_length, required=required)
    if "\x00" in text:
        raise refuse(field, "含有不可见的控制字符。", "contains an invisible control character.")
    return text


def _link(suggestion: Suggestion) -> str:
    return f"/cases/suggestions/{suggestion.pk}/"


def suggestion_file(*, user: ActingUser, title: str, text: str, topic: str = Topic.OTHER) -> Suggestion:
    """Make a suggestion on the appraisal system; HR is told."""
    require(user, "suggestion.file")
    if topic not in Topic.values:
        raise JixiaoError(
            zh="请选择意见涉及的方面。", en="Choose what the suggestion is about.", code="topic"
        )
    suggestion = Suggestion(
        author=stored_user(user),
        topic=topic,
        title=_text(title, "标题", "Title", max_length=TITLE_LENGTH),
        text=_text(text, "意见或建议", "Suggestion", max_length=TEXT_LENGTH),
        step_began=timezone.localdate(),
    )
    with transaction.atomic():
        audited_create(user=user, obj=suggestion, action="suggestion.file", fields=FIELDS)
        notify(
            recipients=users_with_roles("hr_officer", "hr_supervisor"),
            kind="suggestion.filed",
            text=Text(
                f"收到新的意见反馈 {suggestion.reference}。", f"New suggestion {suggestion.reference}."
            ),
            link=_link(suggestion),
            exclude=[user],
        )
    return suggestion


def suggestion_answer(
    *,
    user: ActingUser,
    suggestion: Suggestion,
    answer: str,
    publish: bool = False,
    expected_version: int | None = None,
) -> Suggestion:
    """HR answers; the suggester is told. With ``publish`` the answer goes on the published page too."""
    require(user, "suggestion.handle", suggestion)
    words = _text(answer, "答复", "Answer", max_length=ANSWER_LENGTH)

    def change(s: Suggestion) -> None:
        s.answer, s.answered_by, s.answered_at = words, stored_user(user), timezone.now()
        s.step_began = timezone.localdate()

    with transaction.atomic():
        answered = transition_apply(
            user=user,
            workflow=SUGGESTION,
            obj=suggestion,
            action="answer",
            expected_version=expected_version,
            change=change,
            fields=("state", "answer"),
        )
        notify(
            recipients=[answered.author_id],
            kind="suggestion.answered",
            text=Text(
                f"您的意见反馈 {answered.reference} 已答复。",
                f"Your suggestion {answered.reference} is answered.",
            ),
            link=_link(answered),
            exclude=[user],
        )
        if publish:
            answered = suggestion_publish(user=user, suggestion=answered)
    return answered


def suggestion_close_noted(
    *, user: ActingUser, suggestion: Suggestion, expected_version: int | None = None
) -> Suggestion:
    """HR has read it and keeps it on record, with no answer to give."""
    require(user, "suggestion.handle", suggestion)

    def change(s: Suggestion) -> None:
        s.step_began = timezone.localdate()

    return transition_apply(
        user=user,
        workflow=SUGGESTION,
        obj=suggestion,
        action="close_noted",
        expected_version=expected_version,
        change=change,
        fields=("state",),
    )


def suggestion_publish(
    *, user: ActingUser, suggestion: Suggestion, expected_version: int | None = None
) -> Suggestion:
    """Put the answer on the page of published answers (without the suggester's name)."""
    require(user, "suggestion.handle", suggestion)

    def change(s: Suggestion) -> None:
        s.published_at = timezone.now()

    return transition_apply(
        user=user,
        workflow=SUGGESTION,
        obj=suggestion,
        action="publish_answer",
        expected_version=expected_version,
        change=change,
        fields=("state",),
    )


def suggestion_unpublish(
    *, user: ActingUser, suggestion: Suggestion, expected_version: int | None = None
) -> Suggestion:
    """Take a published answer off the page of published answers."""
    require(user, "suggestion.handle", suggestion)

    def change(s: Suggestion) -> None:
        s.published_at = None

    return transition_apply(
        user=user,
        workflow=SUGGESTION,
        obj=suggestion,
        action="unpublish",
        expected_version=expected_version,
        change=change,
        fields=("state",),
    )


STEPS = {
    "close_noted": suggestion_close_noted,
    "publish_answer": suggestion_publish,
    "unpublish": suggestion_unpublish,
}


def suggestion_step(
    *, user: ActingUser, suggestion: Suggestion, action: str, expected_version: int | None = None
) -> Suggestion:
    """One of HR's steps without words (close as noted, publish, withdraw), by its action name."""
    step = STEPS.get(action)
    if step is None:
        raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")
    return step(user=user, suggestion=suggestion, expected_version=expected_version)
