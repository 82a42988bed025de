"""The Bolt app: request verification, the services in every listener's context, listeners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.app.observability import ContextCopyingExecutor
from bot.container import Container
from handlers import register_listeners

SERVICES_KEY = "services"


def build_bolt_app(container: Container) -> App:
    settings = container.settings
    settings.require_serving()
    assert settings.slack_signing_secret is not None
    app = App(
        client=container.slack,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # The token is checked by the worker's first calls; not at every web worker start.
        token_verification_enabled=False,
        # Listeners run after the acknowledgement on this pool; it keeps the request id.
        listener_executor=ContextCopyingExecutor(max_workers=10),
    )

    @app.middleware
    def provide_services(context: BoltContext, next: Callable[[], Any]) -> Any:  # noqa: A002
        context[SERVICES_KEY] = container
        return next()

    register_listeners(app)
    return app
