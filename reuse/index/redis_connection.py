"""The connection to the Redis server an index spec names: its URL and key prefix, the spec as shown
(passwords masked), timeouts, a TLS handshake that cannot hang, and the server's errors in a user's terms
with every password of the URL scrubbed from them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from reuse.errors import IndexStoreError
from reuse.index import display_spec


class TLSHandshakeError(Exception):
    """The TLS handshake with the server failed or timed out (usually: rediss:// to a plain server)."""


# Connecting, TLS handshake included, gets this long; commands get COMMAND_TIMEOUT, since one batch's
# MULTI/EXEC may keep a busy server for seconds. A plain server never answers a TLS hello (it waits for
# the end of a line that never comes), so without its own limit a rediss:// mistake waited a minute.
CONNECT_TIMEOUT = 5.0
COMMAND_TIMEOUT = 60.0


def _tls_connection_class() -> type:
    import ssl

    import redis

    class TLSConnection(redis.SSLConnection):  # type: ignore[misc]
        """redis-py's TLS connection with the handshake bounded by the connect timeout, not the command one."""

        def _wrap_socket_with_ssl(self, sock: Any) -> Any:
            sock.settimeout(self.socket_connect_timeout)
            try:
                wrapped = super()._wrap_socket_with_ssl(sock)
            except TimeoutError:
                # Not an OSError: redis-py would word it as an unreachable host.
                raise TLSHandshakeError(f"no TLS answer in {self.socket_connect_timeout:g} s") from None
            except (ssl.SSLError, ConnectionError) as err:
                raise TLSHandshakeError(getattr(err, "reason", None) or str(err) or type(err).__name__) from None
            wrapped.settimeout(self.socket_timeout)
            return wrapped

    return TLSConnection


def parse_spec(spec: str) -> tuple[str, str, str]:
    """(URL for the redis client, key prefix, the spec as shown in messages: passwords masked)."""
    # Split by hand: urlunsplit drops the '//' of unix:///path URLs (a scheme it does not know).
    head, _, raw_query = spec.partition("?")
    query = parse_qsl(raw_query, keep_blank_values=True)
    prefix = next((v for k, v in query if k == "prefix"), "reuse") or "reuse"
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return head + (f"?{rest}" if rest else ""), prefix, display_spec(spec)


def _secrets(spec: str) -> list[str]:
    """Every password in a Redis URL, as typed and decoded (what display_spec masks), to scrub from errors."""
    from reuse.index import SECRET_NAME

    head, _, query = spec.split("://", 1)[-1].partition("?")
    userinfo = head.rpartition("@")[0]
    found = [userinfo.partition(":")[2]]
    found += [v for k, v in parse_qsl(query, keep_blank_values=True) if SECRET_NAME.search(k)]
    found += [unquote(s) for s in found]
    return sorted({s for s in found if s}, key=len, reverse=True)


class RedisConnection:
    """A client of the server a spec names (not yet connected: redis-py connects on the first command)."""

    def __init__(self, spec: str) -> None:
        try:
            import redis
        except ImportError:
            raise IndexStoreError(
                f"{display_spec(spec)}: the redis client is not installed; pip install 'readout-reuse[redis]'"
            ) from None
        self._secrets = _secrets(spec)
        url, self.prefix, self.spec = parse_spec(spec)
        tls = {"connection_class": _tls_connection_class()} if spec.startswith("rediss://") else {}
        try:
            # Any: redis-py's types allow str replies, but without decode_responses it returns bytes.
            self.client: Any = redis.Redis.from_url(
                url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=COMMAND_TIMEOUT, **tls
            )
        except ValueError as err:
            raise IndexStoreError(f"{self.spec}: not a Redis URL ({self.scrubbed(str(err))})") from None
        options = self.client.connection_pool.connection_kwargs
        if options.get("password") and options["password"] not in self._secrets:
            self._secrets.append(options["password"])
        self._credentials = bool(options.get("password") or options.get("username"))

    def scrubbed(self, text: str) -> str:
        """text with every password of the URL replaced by ***: a client's or server's error may quote one."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def reason(self, err: Exception) -> str:
        """What went wrong talking to the server, in the user's terms."""
        import redis

        if isinstance(err, redis.exceptions.AuthenticationError):
            if not self._credentials:
                return "Redis requires a password (put it in the URL: redis://:PASSWORD@host:port/db)"
            return "wrong Redis password or user"
        if isinstance(err, TLSHandshakeError):
            detail = self.scrubbed(str(err))
            return f"TLS handshake failed ({detail}); is the server using TLS? A server without TLS takes redis://"
        if isinstance(err, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return f"cannot reach Redis ({self.scrubbed(str(err))})"
        return f"Redis error ({self.scrubbed(str(err))})"

    def close(self) -> None:
        self.client.close()
