"""Small text pieces of the digest: durations, recommendations, escaping, times."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.shared.blocks import slack_time
from handlers.shared.text import NAME_LIMIT, SECTION_TEXT_LIMIT, clip, escape

__all__ = ["NAME_LIMIT", "SECTION_TEXT_LIMIT", "clip", "escape"]
from models.hiring import Recommendation

RECOMMENDATION_EMOJI = {
    Recommendation.STRONG_YES: "strong yes :star2:",
    Recommendation.YES: "yes :+1:",
    Recommendation.NO: "no :-1:",
    Recommendation.STRONG_NO: "strong no :no_entry:",
}


def short_duration(span: timedelta) -> str:
    """'45 min', '5 h', '3 d': the largest whole unit, for a phone screen."""
    minutes = max(int(span.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def hours_and_minutes(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d}"


def days_figure(days: float | None) -> str:
    return "–" if days is None else f"{days:.1f} d"


def clock_time(moment: datetime) -> str:
    """Slack's date token showing the time only, in each reader's own time zone."""
    return slack_time(moment, "%H:%M UTC", "{time}")


def day_and_time(moment: datetime) -> str:
    return slack_time(moment, "%a %d %b %H:%M UTC")


def tally(recommendations: tuple[tuple[Recommendation, int], ...]) -> str:
    """'2 yes, 1 strong yes' in order of strength, strongest yes first."""
    order = list(RECOMMENDATION_EMOJI)
    parts = [
        f"{count} {value.value.replace('_', ' ')}"
        for value, count in sorted(recommendations, key=lambda item: order.index(item[0]))
        if count
    ]
    return ", ".join(parts) if parts else "no feedback yet"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"
