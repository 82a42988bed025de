"""Who takes part in the demo, and what each interviewer thinks of the candidate."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.app.demo.slack_standin import Member


@dataclass(frozen=True)
class Colleague:
    slack_id: str
    name: str
    email: str
    title: str
    """How the demo introduces them: "Hanna (recruiter)"."""
    roles: tuple[str, ...]
    pools: tuple[str, ...] = ()

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]

    @property
    def member(self) -> Member:
        return Member(self.slack_id, self.name, self.email)


HANNA = Colleague(
    "U_HANNA",
    "Hanna Hughes",
    "hanna@acme.example",
    "recruiter",
    ("admin", "recruiter", "interviewer"),
    ("recruiters",),
)
HUGO = Colleague(
    "U_HUGO",
    "Hugo Martin",
    "hugo@acme.example",
    "hiring manager",
    ("hiring_manager", "interviewer"),
    ("hiring-managers",),
)
GRACE = Colleague(
    "U_GRACE",
    "Grace Park",
    "grace@acme.example",
    "backend engineer",
    ("interviewer",),
    ("backend-engineers",),
)
LINUS = Colleague(
    "U_LINUS",
    "Linus Berg",
    "linus@acme.example",
    "backend engineer",
    ("interviewer",),
    ("backend-engineers",),
)
MARGARET = Colleague(
    "U_MARGARET",
    "Margaret Chen",
    "margaret@acme.example",
    "Head of Engineering",
    ("head_of_engineering", "interviewer"),
    ("head-of-engineering",),
)
KEN = Colleague("U_KEN", "Ken Adams", "ken@acme.example", "CTO", ("interviewer",), ("cto",))

TEAM = (HANNA, HUGO, GRACE, LINUS, MARGARET, KEN)
ADMIN = HANNA
DIGEST_RECIPIENT = MARGARET
CANDIDATE_NAME = "Ada Lovelace"
CANDIDATE_EMAIL = "ada.lovelace@example.com"


@dataclass(frozen=True)
class Opinion:
    """One scorecard: ratings by competency key (3 when not named), a recommendation, a summary."""

    recommendation: str
    summary: str
    ratings: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


# By stage key, then by interviewer.
OPINIONS: dict[str, dict[str, Opinion]] = {
    "hr-screening": {
        HANNA.slack_id: Opinion(
            "strong_yes",
            "Clear about why this role; fluent English, good French. Available in six weeks.",
            {"motivation": "4", "languages": "4"},
        ),
    },
    "hiring-manager": {
        HUGO.slack_id: Opinion(
            "yes",
            "Strong on event-driven design and API versioning; led two migrations end to end.",
            {"architecture": "4", "leadership": "3", "ai-integration": "2"},
            {"ai-integration": "Has used AI tools, less so in the product."},
        ),
    },
    "technical-test": {
        GRACE.slack_id: Opinion(
            "strong_yes",
            "Clean, well-tested Spring Boot service; thoughtful schema and indexes.",
            {"java-delivery": "4", "data-modelling": "4", "event-flows": "4"},
        ),
        LINUS.slack_id: Opinion(
            "yes",
            "Good code; the consumer is not idempotent, which we discussed at length.",
            {"event-flows": "2", "security": "3"},
            {"event-flows": "Retries could process an order twice."},
        ),
    },
    "onsite": {
        HANNA.slack_id: Opinion(
            "yes", "Motivated, asks sharp questions about the team.", {"motivation": "4"}
        ),
        MARGARET.slack_id: Opinion(
            "strong_yes",
            "Raises the bar: concrete mentoring stories, pragmatic about architecture.",
            {"leadership": "4", "architecture": "4"},
        ),
        KEN.slack_id: Opinion(
            "yes",
            "Good security instincts; a concrete plan for AI in the product.",
            {"security": "4", "ai-integration": "3"},
        ),
    },
}
