"""Rows shared by /interview-feedback and the App Home tab."""

from __future__ import annotations

from bot.feedback.overview import FeedbackOverview, InterviewLine
from bot.feedback.pending import PendingFeedback
from bot.feedback.visibility import OwnFeedback
from handlers.feedback.blocks import (
    RECOMMENDATION_LABELS,
    give_feedback_button,
    see_feedback_button,
)
from handlers.shared.blocks import Block, context, section, slack_time
from handlers.shared.text import escape

MAX_ROWS = 10


def pending_row(item: PendingFeedback) -> Block:
    block = section(
        f"*{escape(item.candidate_name)}* ({escape(item.stage_name)}), "
        f"ended {slack_time(item.ended_at)}"
    )
    block["accessory"] = give_feedback_button(item.interview_id)
    return block


def submitted_row(item: OwnFeedback, amendable: bool) -> Block:
    amended = f", amended (version {item.version})" if item.version > 1 else ""
    block = section(
        f"*{escape(item.candidate_name)}* ({escape(item.stage_name)}): "
        f"{RECOMMENDATION_LABELS[item.recommendation]}, {slack_time(item.submitted_at)}{amended}"
    )
    block["accessory"] = (
        give_feedback_button(item.interview_id, "Amend")
        if amendable
        else see_feedback_button(item.interview_id, "See feedback")
    )
    return block


def upcoming_row(line: InterviewLine) -> Block:
    return section(
        f"*{escape(line.candidate_name)}* ({escape(line.stage_name)}), {slack_time(line.at)}"
    )


def awaiting_row(line: InterviewLine) -> Block:
    block = section(
        f"*{escape(line.candidate_name)}* ({escape(line.stage_name)}), "
        f"all feedback in {slack_time(line.at)}"
    )
    block["accessory"] = see_feedback_button(line.interview_id, "See scorecards")
    return block


def other_sections(overview: FeedbackOverview) -> list[Block]:
    """Everything but the pending feedback: submitted lately, upcoming, decisions waiting."""
    blocks: list[Block] = []
    if overview.submitted:
        blocks.append(section("*Feedback you gave lately*"))
        blocks.extend(
            submitted_row(item, item.interview_id in overview.amendable)
            for item in overview.submitted[:MAX_ROWS]
        )
    blocks.append(section("*Your upcoming interviews*"))
    if overview.upcoming:
        blocks.extend(upcoming_row(line) for line in overview.upcoming[:MAX_ROWS])
    else:
        blocks.append(context("None in the next two weeks."))
    if overview.awaiting_decision is not None:
        blocks.append(section("*Candidates waiting for a decision*"))
        if overview.awaiting_decision:
            blocks.extend(awaiting_row(line) for line in overview.awaiting_decision[:MAX_ROWS])
        else:
            blocks.append(context("None right now."))
    return blocks
