"""The scorecard modal, what it shows after submitting, and the colleagues' feedback modal."""

from __future__ import annotations

import json
from typing import Any

from bot.feedback.answers import (
    NOTE_MAX,
    RECOMMENDATION,
    SUMMARY,
    SUMMARY_MAX,
    note_field,
    rating_field,
)
from bot.feedback.scorecard import PreviousAnswers, Question, Refusal, ScorecardForm
from bot.feedback.submit import Submitted
from bot.feedback.visibility import CandidateFeedback
from handlers.feedback.blocks import RECOMMENDATION_LABELS, scorecard_blocks
from handlers.shared.blocks import Block, context, option, plain, section, slack_time
from handlers.shared.text import escape
from models.hiring import Recommendation

SCORECARD_CALLBACK_ID = "scorecard"
RATING_ACTION = "rating"
NOTE_ACTION = "note"
RECOMMENDATION_ACTION = "recommendation"
SUMMARY_ACTION = "summary"
MAX_BLOCKS = 100
RATING_LABELS = {
    1: "1 · Clear concerns",
    2: "2 · Below the bar",
    3: "3 · Meets the bar",
    4: "4 · Raises the bar",
}


def scorecard_modal(form: ScorecardForm) -> dict[str, Any]:
    previous = form.previous
    blocks: list[Block] = [
        section(
            f"*{escape(form.candidate_name)}*: {escape(form.stage_name)}, "
            f"{slack_time(form.starts_at)}"
        )
    ]
    if previous is not None and form.amend_until is not None:
        blocks.append(
            context(
                f"You are amending your feedback (version {form.base_version}); earlier "
                f"versions are kept. You can amend until {slack_time(form.amend_until)}."
            )
        )
    for question in form.questions:
        blocks.extend(_question_blocks(question, previous))
    blocks.append(_recommendation_block(previous))
    blocks.append(_summary_block(previous))
    return {
        "type": "modal",
        "callback_id": SCORECARD_CALLBACK_ID,
        "title": plain("Interview scorecard"),
        "submit": plain("Amend" if previous else "Submit"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(
            {"interview_id": form.interview_id, "base_version": form.base_version}
        ),
        "blocks": blocks,
    }


def _question_blocks(question: Question, previous: PreviousAnswers | None) -> list[Block]:
    options = [option(label, str(value)) for value, label in RATING_LABELS.items()]
    rating: dict[str, Any] = {
        "type": "static_select",
        "action_id": RATING_ACTION,
        "placeholder": plain("1 to 4"),
        "options": options,
    }
    if previous is not None and question.key in previous.ratings:
        rating["initial_option"] = options[previous.ratings[question.key] - 1]
    note: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": NOTE_ACTION,
        "multiline": True,
        "max_length": NOTE_MAX,
    }
    if previous is not None and previous.notes.get(question.key):
        note["initial_value"] = previous.notes[question.key]
    rating_block: Block = {
        "type": "input",
        "block_id": rating_field(question.key),
        "label": plain(question.name),
        "element": rating,
    }
    if question.description:
        rating_block["hint"] = plain(question.description)
    return [
        rating_block,
        {
            "type": "input",
            "block_id": note_field(question.key),
            "optional": True,
            "label": plain(f"Note on {question.name.lower()}"),
            "element": note,
        },
    ]


def _recommendation_block(previous: PreviousAnswers | None) -> Block:
    options = [option(label, value.value) for value, label in RECOMMENDATION_LABELS.items()]
    element: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": RECOMMENDATION_ACTION,
        "options": options,
    }
    if previous is not None:
        element["initial_option"] = options[list(Recommendation).index(previous.recommendation)]
    return {
        "type": "input",
        "block_id": RECOMMENDATION,
        "label": plain("Overall recommendation"),
        "element": element,
    }


def _summary_block(previous: PreviousAnswers | None) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": SUMMARY_ACTION,
        "multiline": True,
        "max_length": SUMMARY_MAX,
        "placeholder": plain("What did you learn? What tipped your recommendation?"),
    }
    if previous is not None:
        element["initial_value"] = previous.summary
    return {
        "type": "input",
        "block_id": SUMMARY,
        "label": plain("Summary"),
        "element": element,
    }


def submitted_modal(done: Submitted, colleagues: CandidateFeedback) -> dict[str, Any]:
    """Thanks, then the colleagues' scorecards for this stage, now that the viewer's is in."""
    what = "amended" if done.version > 1 else "submitted"
    blocks: list[Block] = [
        section(
            f":white_check_mark: Your feedback on *{escape(done.candidate_name)}* "
            f"({escape(done.stage_name)}) "
            f"is {what}. You can amend it until {slack_time(done.amend_until)}."
        )
    ]
    blocks.extend(_colleagues_blocks(colleagues))
    return notice_modal("Feedback submitted", blocks)


def colleagues_modal(candidate_name: str, feedback: CandidateFeedback) -> dict[str, Any]:
    blocks: list[Block] = [section(f"Feedback on *{escape(candidate_name)}*")]
    blocks.extend(_colleagues_blocks(feedback))
    return notice_modal("Feedback", blocks)


def notice_modal(title: str, blocks: list[Block] | str) -> dict[str, Any]:
    content = [section(blocks)] if isinstance(blocks, str) else blocks
    return {
        "type": "modal",
        "title": plain(title[:24]),
        "close": plain("Close"),
        "blocks": content[:MAX_BLOCKS],
    }


def _colleagues_blocks(feedback: CandidateFeedback) -> list[Block]:
    blocks: list[Block] = []
    for view in feedback.visible:
        blocks.append({"type": "divider"})
        blocks.extend(scorecard_blocks(view))
    if feedback.hidden_count:
        blocks.append(
            context(
                f"{feedback.hidden_count} more scorecard(s) will show once your own feedback "
                "for that stage is in."
            )
        )
    if not feedback.visible and not feedback.hidden_count:
        blocks.append(context("No other feedback yet."))
    return blocks


REFUSAL_TEXT = {
    Refusal.NOT_AVAILABLE: "Only this interview's interviewers can give feedback on it.",
    Refusal.CANCELLED: "This interview was cancelled, so there is no feedback to give.",
    Refusal.NOT_ENDED: "You can give feedback once the interview is over.",
    Refusal.AMEND_CLOSED: (
        "Feedback can be amended for 24 hours after it is first submitted; that time is over. "
        "Ask the recruiter if something important is missing."
    ),
    Refusal.OPINIONS_SHARED: (
        "Your feedback can no longer be amended: a colleague's scorecard for this stage is in "
        "and open to you, so a change would not be your own opinion any more. Ask the recruiter "
        "if something important is missing."
    ),
    Refusal.STALE: (
        "Your feedback was changed from another window in the meantime. "
        "Close this one and open the scorecard again."
    ),
}


def refusal_modal(reason: Refusal) -> dict[str, Any]:
    return notice_modal("Interview scorecard", REFUSAL_TEXT[reason])
