"""The decision makers' message: scorecards side by side, disagreements, advance/reject/hold."""

from __future__ import annotations

from typing import Any

from bot.decisions.asking import DecisionCard
from bot.decisions.summary import DecisionSummary
from handlers.feedback.blocks import (
    RECOMMENDATION_LABELS,
    clipped,
    see_feedback_button,
)
from handlers.shared.blocks import Block, actions, button, context, mention, section, slack_time
from handlers.shared.text import escape
from models.hiring import Decision

DECISION_ACTION_PREFIX = "decision_"
WARNING = ":warning:"
SUMMARY_PREVIEW = 400


def decision_action(choice: Decision) -> str:
    return f"{DECISION_ACTION_PREFIX}{choice.value}"


def decision_message(card: DecisionCard) -> dict[str, Any]:
    who = f"{escape(card.candidate_name)} ({escape(card.stage_name)})"
    if card.decision is None:
        text = f"Decision needed: {who}"
    elif card.open:
        text = f"Decision needed: {who} ({_outcome(card)})"
    else:
        text = f"Decided: {who}: {_outcome(card)}"
    blocks: list[Block] = [
        section(
            f"All feedback is in for *{escape(card.candidate_name)}*: {escape(card.stage_name)}, "
            f"{slack_time(card.starts_at)}."
        ),
        section(clipped(_ratings_table(card.summary))),
    ]
    if card.summary.disagreements or card.summary.recommendations_disagree:
        blocks.append(context(_disagreement_note(card.summary)))
    blocks.append(section(clipped(_summaries(card.summary))))
    if card.hidden_count:
        blocks.append(context(f"{card.hidden_count} scorecard(s) are not shown to you."))
    if card.decision is not None:
        blocks.append(section(f"*Decision:* {_outcome(card)}{_by(card)}"))
    blocks.append(actions("decision", *_buttons(card)))
    return {"text": text, "blocks": blocks}


def _ratings_table(summary: DecisionSummary) -> str:
    lines = []
    for row in summary.competencies:
        scores = " · ".join(f"{mention(who)} *{score}*" for who, score in row.scores) or "–"
        lines.append(f"*{row.name}*: {scores}{' ' + WARNING if row.disagree else ''}")
    recommendations = " · ".join(
        f"{mention(who)} *{RECOMMENDATION_LABELS[rec]}*" for who, rec in summary.recommendations
    )
    flag = f" {WARNING}" if summary.recommendations_disagree else ""
    lines.append(f"*Recommendation*: {recommendations}{flag}")
    return "\n".join(lines)


def _disagreement_note(summary: DecisionSummary) -> str:
    topics = list(summary.disagreements)
    if summary.recommendations_disagree:
        topics.append("the recommendation")
    return f"{WARNING} Interviewers differ by 2 points or more on: {', '.join(topics)}."


def _summaries(summary: DecisionSummary) -> str:
    return "\n".join(
        f"{mention(who)}: {escape(' '.join(text.split()), SUMMARY_PREVIEW)}"
        for who, text in summary.summaries
    )


def _outcome(card: DecisionCard) -> str:
    if card.decision == Decision.ADVANCE:
        return f"advanced to {card.next_stage_name or 'the next stage'}"
    labels = {Decision.HIRE: "hire", Decision.REJECT: "rejected", Decision.HOLD: "on hold"}
    return labels.get(card.decision, "") if card.decision else ""


def _by(card: DecisionCard) -> str:
    who = f" by {mention(card.decided_by_slack_id)}" if card.decided_by_slack_id else ""
    when = f" {slack_time(card.decided_at)}" if card.decided_at else ""
    return f"{who}{when}"


def _buttons(card: DecisionCard) -> list[dict[str, Any]]:
    value = str(card.interview_id)
    details = see_feedback_button(card.interview_id, "See full scorecards")
    if not card.open:
        return [details]
    advance = f"Advance to {card.next_stage_name}" if card.next_stage_name else "Hire"
    buttons = [
        button(advance, decision_action(Decision.ADVANCE), value, style="primary"),
        button("Reject", decision_action(Decision.REJECT), value, style="danger"),
    ]
    if card.decision != Decision.HOLD:
        buttons.append(button("Hold", decision_action(Decision.HOLD), value))
    return [*buttons, details]
