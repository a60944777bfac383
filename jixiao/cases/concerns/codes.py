"""Follow-up codes (跟进码) of anonymous allegations, and the throttle on guessing them.

A code is 160 random bits written as 32 base-32 letters and digits in groups of four
(``ABCD-EFGH-…``): typeable, and with no letters that need a case. Only its sha256 is stored.
A fast hash is enough here, unlike for passwords: a password is guessable, so it needs a slow
hash, but a 160-bit random code cannot be found by trying hashes (2^160 tries), and a lookup by
hash compares nothing secret in Python, so it takes the same time for a near miss as for a far one.

Wrong codes are counted per network address in Django's cache (``settings.CACHES``): after
``LIMIT`` failures within ``WINDOW`` seconds the address is refused (429) until the window ends.
The counter's key is an HMAC of the address, so not even the cache holds the address; nothing
about the address is stored with a case. The same counter shape limits anonymous filings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache

from jixiao.common.errors import JixiaoError

CODE_BYTES = 20  # 160 bits (at least 128 are asked for)
GROUP = 4
LIMIT = 10  # wrong codes an address may try ...
WINDOW = 3600  # ... per hour
FILING_LIMIT = 10  # anonymous filings (tries included) an address may send per hour


def code_new() -> str:
    """A fresh follow-up code, grouped for reading: ``ABCD-EFGH-…`` (8 groups)."""
    letters = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=")
    return "-".join(letters[i : i + GROUP] for i in range(0, len(letters), GROUP))


def code_normal(text: object) -> str:
    """The code as typed, without spaces and hyphens, in capitals ("" for anything too long)."""
    raw = str(text or "")
    if len(raw) > 100:
        return ""
    return "".join(ch for ch in raw.upper() if ch not in " -\t\r\n\u3000")


def code_hash(code: str) -> str:
    """The stored form of a code: sha256 of its normal form (see the module's note on why)."""
    return hashlib.sha256(code_normal(code).encode("utf-8")).hexdigest()


def _key(counter: str, address: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"jixiao:concerns:{counter}:{digest[:40]}"


def _count(counter: str, address: str) -> int:
    return int(cache.get(_key(counter, address), 0))


def _add(counter: str, address: str) -> None:
    key = _key(counter, address)
    cache.add(key, 0, WINDOW)  # the window starts with the first one
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, WINDOW)


def _throttled(zh: str, en: str) -> JixiaoError:
    return JixiaoError(zh=zh, en=en, code="throttled", status=429)


def code_guard(address: str) -> None:
    """Refuse (429) an address that has tried too many wrong codes within the window."""
    if _count("code", address) >= LIMIT:
        raise _throttled(
            "从您的网络地址输入错误跟进码的次数过多，请一小时后再试。",
            "Too many wrong follow-up codes from your network address; try again in an hour.",
        )


def code_failed(address: str) -> None:
    _add("code", address)


def filing_guard(address: str) -> None:
    """Refuse (429) an address that sent too many anonymous filings within the window; count this one."""
    if _count("filing", address) >= FILING_LIMIT:
        raise _throttled(
            "从您的网络地址提交的匿名举报过多，请一小时后再试。",
            "Too many anonymous allegations from your network address; try again in an hour.",
        )
    _add("filing", address)
