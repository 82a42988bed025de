"""The Slack Web API clients: keep-alive HTTPS connections, one TLS context, no idle debug strings.

slack-sdk's `WebClient` opens a new TCP and TLS connection for every call (urllib sends
`Connection: close`), builds a new SSL context for each one when `ssl` is None (reading the whole CA
bundle again), and formats debug messages (the whole modal) whenever its logger has no level of its
own. `PooledWebClient` sends its calls through one `urllib3.PoolManager` (persistent connections,
thread-safe) with one SSL context per process; slack-sdk's retry handlers and error handling stay as
they are, since the pooled transport answers exactly as urllib would.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import ssl
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from bot.settings import Settings

# Bolt's listener pool has 10 threads and waitress serves acknowledgements on its own threads.
POOL_MAXSIZE = 16
SLACK_TIMEOUT_SECONDS = 10
# slack-sdk loggers that build debug strings whenever their own level is unset (0 <= DEBUG).
SDK_LOGGERS = ("slack_sdk.web.base_client", "slack_sdk.webhook.client")


def make_slack_client(settings: Settings) -> WebClient:
    """The listeners' client (views, ephemeral answers): it waits out a rate limit (Slack did
    not act on a 429) but never repeats a call that may have been carried out; every message the
    bot sends on its own goes through the outbox, which alone decides to send again."""
    return _client(settings, [RateLimitErrorRetryHandler(max_retry_count=3)])


def make_outbox_client(settings: Settings) -> WebClient:
    """The outbox's client: no retry handlers, as the outbox alone decides to send again."""
    return _client(settings, [])


def _client(settings: Settings, retry_handlers: list[Any]) -> WebClient:
    quiet_sdk_debug_logging(logging.getLogger().getEffectiveLevel() <= logging.DEBUG)
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return PooledWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers,
    )


def quiet_sdk_debug_logging(debug: bool = False) -> None:
    """Give slack-sdk's hot-path loggers a level of their own (INFO), so its `level <= DEBUG`
    checks stop formatting every request and answer for nothing; `debug` gives them back their
    parent's level. Bolt's loggers copy the root's level (INFO or above) and need nothing."""
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else logging.INFO)


def shared_ssl_context() -> ssl.SSLContext:
    """One client SSL context per process (per CA settings): the system's trust store, which
    honours SSL_CERT_FILE and SSL_CERT_DIR, plus REQUESTS_CA_BUNDLE when it is set."""
    return _ssl_context(
        os.environ.get("SSL_CERT_FILE"),
        os.environ.get("SSL_CERT_DIR"),
        os.environ.get("REQUESTS_CA_BUNDLE"),
    )


@functools.cache
def _ssl_context(cert_file: str | None, cert_dir: str | None, bundle: str | None) -> ssl.SSLContext:
    # cert_file and cert_dir are read by OpenSSL from the environment; they key the cache only.
    context = ssl.create_default_context()
    if bundle:
        if os.path.isdir(bundle):
            context.load_verify_locations(capath=bundle)
        else:
            context.load_verify_locations(cafile=bundle)
    return context


class PooledWebClient(WebClient):
    """A `WebClient` whose calls share persistent connections; safe to share between threads.

    Only the transport changes: answers of 400 and above raise `urllib.error.HTTPError` as
    `urlopen` does (so the retry handlers and `SlackApiError` behave as before), connection
    failures raise `URLError`/`OSError`, and urllib3 never retries on its own. A proxy falls back
    to slack-sdk's own urllib transport.
    """

    def __init__(self, *args: Any, pool_maxsize: int = POOL_MAXSIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.ssl is None:
            # Also what Bolt's per-request clients and `respond` copy from this client.
            self.ssl = shared_ssl_context()
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=pool_maxsize, block=False, retries=False, ssl_context=self.ssl
        )

    def close(self) -> None:
        """Close the idle connections (the client stays usable)."""
        self._pool.clear()

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy or not url.lower().startswith(("http://", "https://")):
            answer: dict[str, Any] = super()._perform_urllib_http_request_internal(url, req)
            return answer
        response = self._send(url, req)
        if response.status >= 400:
            headers = _message(response.headers)
            raise HTTPError(
                url, response.status, response.reason or "", headers, io.BytesIO(response.data)
            )
        # urllib3's case-insensitive headers: slack-sdk only reads them as a mapping
        return {
            "status": response.status,
            "headers": response.headers,
            "body": self._body(response),
        }

    def _send(self, url: str, req: Request) -> urllib3.BaseHTTPResponse:
        headers = {name: str(value) for name, value in req.header_items()}
        timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
        try:
            return self._pool.request(
                req.get_method(),
                url,
                body=req.data,  # type: ignore[arg-type]  # bytes or None, built by slack-sdk
                headers=headers,
                timeout=timeout,
                retries=False,
                redirect=False,
                decode_content=False,
            )
        except Urllib3Error as error:
            raise _as_urllib_error(error) from error

    def _body(self, response: urllib3.BaseHTTPResponse) -> str | bytes:
        content_type, _, parameters = (response.headers.get("Content-Type") or "").partition(";")
        if content_type.strip().lower() == "application/gzip":
            return response.data  # admin.analytics.getFile, as slack-sdk leaves it
        body = response.data.decode(_charset(parameters) or "utf-8")
        if self._logger.isEnabledFor(logging.DEBUG):
            self._logger.debug(
                f"Received the following response - status: {response.status}, "
                f"headers: {dict(response.headers)}, body: {body}"
            )
        return body


def _charset(parameters: str) -> str | None:
    """The charset named in a Content-Type's parameters (`; charset=utf-8`), if any."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def _message(headers: Any) -> HTTPMessage:
    """The answer's headers as the `http.client.HTTPMessage` urllib would give."""
    message = HTTPMessage()
    for name, value in headers.items():
        message[name] = value
    return message


def _as_urllib_error(error: Urllib3Error) -> OSError:
    """What urllib raises for the same failure: `TimeoutError` for a read timeout, the socket's
    own error when the connection broke during the exchange, `URLError(reason)` otherwise (refused,
    unreachable, TLS verification failed)."""
    reason = _os_error_in(error)
    if isinstance(error, ReadTimeoutError):
        return TimeoutError(str(error))
    if isinstance(error, ProtocolError) and reason is not None:
        return reason
    return URLError(reason if reason is not None else error)


def _os_error_in(error: BaseException) -> OSError | None:
    for inner in (*error.args, error.__cause__, error.__context__):
        if isinstance(inner, OSError):
            return inner
        if isinstance(inner, Urllib3Error):
            return _os_error_in(inner)
    return None
