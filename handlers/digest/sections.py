"""One Block Kit section per part of the digest; an empty part gives no block at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.digest.model import (
    AwaitingDecision,
    Digest,
    InterviewerLoad,
    Listing,
    OverdueFeedback,
    ReceivedFeedback,
    RoleFunnel,
    RolePipeline,
    TodayInterview,
)
from handlers.digest.text import (
    RECOMMENDATION_EMOJI,
    clip,
    clock_time,
    day_and_time,
    days_figure,
    escape,
    hours_and_minutes,
    plural,
    short_duration,
    tally,
)
from handlers.shared.blocks import Block, mention, section

T = TypeVar("T")
MAX_ROLES_LISTED = 10


def listing_section(title: str, items: Listing[T], line: Callable[[T], str]) -> list[Block]:
    if not items:
        return []
    lines = [f"*{title}*"] + [f"• {line(item)}" for item in items.items]
    if items.more:
        lines.append(f"_…and {items.more} more_")
    return [section(clip("\n".join(lines)))]


def interviews_today(digest: Digest) -> list[Block]:
    title = f":calendar: Today's interviews ({digest.interviews_today.total})"
    return listing_section(title, digest.interviews_today, _interview_line)


def _interview_line(item: TodayInterview) -> str:
    people = " ".join(mention(slack_id) for slack_id in item.interviewer_slack_ids)
    people = people or "no interviewer"
    return (
        f"{clock_time(item.starts_at)} *{escape(item.candidate)}* · {escape(item.stage)} · {people}"
    )


def feedback_received(digest: Digest) -> list[Block]:
    title = f":inbox_tray: Feedback since {day_and_time(digest.feedback_since)}"
    return listing_section(title, digest.feedback_received, _feedback_line)


def _feedback_line(item: ReceivedFeedback) -> str:
    opinions = ", ".join(
        f"{mention(o.interviewer_slack_id)} {RECOMMENDATION_EMOJI[o.recommendation]}"
        for o in item.opinions
    )
    return f"*{escape(item.candidate)}* · {escape(item.stage)}: {opinions}"


def overdue_feedback(digest: Digest) -> list[Block]:
    title = f":hourglass: Overdue feedback ({digest.overdue_feedback.total})"
    return listing_section(title, digest.overdue_feedback, _overdue_line)


def _overdue_line(item: OverdueFeedback) -> str:
    who = mention(item.interviewer_slack_id)
    return (
        f"{who} for *{escape(item.candidate)}* · {escape(item.stage)}"
        f" – {short_duration(item.late_by)} late"
    )


def awaiting_decision(digest: Digest) -> list[Block]:
    title = f":scales: Waiting for a decision ({digest.awaiting_decision.total})"
    return listing_section(title, digest.awaiting_decision, _awaiting_line)


def _awaiting_line(item: AwaitingDecision) -> str:
    asked = ", decision asked" if item.decision_requested else ""
    return (
        f"*{escape(item.candidate)}* · {escape(item.stage)}: {tally(item.recommendations)}"
        f" – waiting {short_duration(item.waiting_for)}{asked}"
    )


def pipeline(digest: Digest) -> list[Block]:
    if not digest.pipeline:
        return []
    active = sum(role.candidates for role in digest.pipeline)
    blocks = [section(f"*:bar_chart: Pipeline ({plural(active, 'active candidate')})*")]
    blocks += [section(clip(_role_pipeline(role))) for role in digest.pipeline[:MAX_ROLES_LISTED]]
    if len(digest.pipeline) > MAX_ROLES_LISTED:
        blocks.append(section(f"_…and {len(digest.pipeline) - MAX_ROLES_LISTED} more roles_"))
    return blocks


def _role_pipeline(role: RolePipeline) -> str:
    lines = [f"*{escape(role.role)}* ({role.candidates})"]
    lines += [
        f"{escape(stage.stage)}: {stage.candidates} · median {days_figure(stage.median_days)}"
        if stage.candidates
        else f"{escape(stage.stage)}: 0"
        for stage in role.stages
    ]
    return "\n".join(lines)


def interview_load_section(digest: Digest) -> list[Block]:
    return listing_section(":busts_in_silhouette: Interviews this week", digest.load, _load_line)


def _load_line(item: InterviewerLoad) -> str:
    line = (
        f"{mention(item.interviewer_slack_id)} {plural(item.interviews, 'interview')}"
        f" · {hours_and_minutes(item.minutes)}"
    )
    if item.cap is None:
        return line
    warning = " :warning:" if item.interviews > item.cap else ""
    return f"{line} · cap {item.cap}{warning}"


def funnel(digest: Digest, chart_in_thread: bool) -> list[Block]:
    if not digest.has_chart:
        return []
    lines = ["*:chart_with_downwards_trend: Funnel, candidates of the last 30 days*"]
    lines += [_role_funnel(role) for role in digest.funnel[:MAX_ROLES_LISTED]]
    if chart_in_thread:
        lines.append("_The chart is in the thread._")
    return [section(clip("\n".join(lines)))]


def _role_funnel(role: RoleFunnel) -> str:
    steps = " → ".join(f"{escape(step.stage)} {step.reached}" for step in role.steps)
    return f"{escape(role.role)}: {steps}"
