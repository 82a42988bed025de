"""The funnel chart: a PNG drawn with matplotlib's Agg canvas (no display, no network)."""

from __future__ import annotations

import io
from datetime import date

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.digest.model import RoleFunnel

BAR_COLOUR = "#2c7fb8"
WIDTH_INCHES = 6.4
INCHES_PER_BAR = 0.45
INCHES_PER_ROLE = 0.8
MAX_ROLES_CHARTED = 6


def funnel_chart_png(funnel: tuple[RoleFunnel, ...], day: date) -> bytes:
    """Horizontal bars per role: how many of the last 30 days' candidates reached each stage."""
    roles = funnel[:MAX_ROLES_CHARTED]
    bars = sum(len(role.steps) for role in roles)
    figure = Figure(
        figsize=(WIDTH_INCHES, 0.9 + INCHES_PER_ROLE * len(roles) + INCHES_PER_BAR * bars),
        dpi=120,
        layout="constrained",
    )
    FigureCanvasAgg(figure)
    heights = [max(len(role.steps), 1) for role in roles]
    axes = figure.subplots(len(roles), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, role in zip(axes, roles, strict=True):
        _draw_role(ax, role)
    title = f"Hiring funnel: candidates who entered in the 30 days to {day:%d %b %Y}"
    figure.suptitle(f"{title}\nand how many of them reached each stage", fontsize=11)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _draw_role(ax: Axes, role: RoleFunnel) -> None:
    names = [step.stage for step in role.steps]
    reached = [step.reached for step in role.steps]
    first = reached[0] if reached and reached[0] else 1
    positions = list(range(len(names)))
    drawn = ax.barh(positions, reached, color=BAR_COLOUR)
    ax.bar_label(drawn, labels=[f"{n} ({100 * n / first:.0f} %)" for n in reached], padding=3)
    ax.set_yticks(positions, labels=names)
    ax.invert_yaxis()
    ax.set_title(role.role, loc="left", fontsize=10)
    ax.set_xlim(0, max(reached + [1]) * 1.3)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)


def funnel_alt_text(funnel: tuple[RoleFunnel, ...]) -> str:
    """What the chart shows, in words (Slack's alt text, at most 1000 characters)."""
    roles = [
        f"{role.role}: " + ", ".join(f"{step.stage} {step.reached}" for step in role.steps)
        for role in funnel
    ]
    return ("Candidates of the last 30 days who reached each stage. " + "; ".join(roles))[:1000]
