"""Websites: the organisation's domain, the part that identifies it.

A website is typed as ``https://www.acme.nl/contact``, ``WWW.ACME.NL`` or
``acme.nl``; what two records of one organisation share is the host name
without ``www.``. The ``value`` is that domain, lower case; the scheme, port,
path, query and a leading ``www.`` are dropped. A domain of a free mail or
hosting service (``gmail.com``, ``163.com``) identifies nobody and is kept
but marked ``partial``.

Reason templates use ``{value}`` for the raw value and ``{suggestion}`` for
the standardized value (``result.value``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.standardize.email_address import FREE_PROVIDERS
from core.standardize.result import FieldResult
from core.standardize.text import fold, is_blank, is_placeholder

REASONS: dict[str, tuple[str, str]] = {
    "website.placeholder": (
        "'{value}' is a placeholder, not a website; enter the address, e.g. www.example.com",
        "“{value}”是占位内容，不是网址，请填写网址，例如 www.example.com",
    ),
    "website.invalid": (
        "'{value}' is not a web address; write it like www.example.com",
        "“{value}”不是有效网址，请按 www.example.com 的格式填写",
    ),
    "website.shared": (
        "'{value}' is a free mail or hosting domain shared by many; it does not identify "
        "the organisation",
        "“{value}”是许多人共用的免费邮箱或托管域名，不能用来识别机构",
    ),
}

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
_SHARED_HOSTS = frozenset(
    "blogspot.com wordpress.com wixsite.com github.io sites.google.com weebly.com tumblr.com "
    "taobao.com tmall.com 1688.com weibo.com weixin.qq.com mp.weixin.qq.com facebook.com "
    "linkedin.com".split()
)


def domain_of(host: str) -> str:
    """A host name without ``www.`` (``www2.``, ``m.`` kept: they are rare)."""
    host = host.strip(".").lower()
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=65536)
def normalize_website(raw: str) -> FieldResult:
    """Standardize a website to its domain.

    Pure and total: never raises; feeding ``value`` back in gives the same
    ``value``. ``status`` is ``missing`` iff ``raw`` is blank.

    Args:
        raw: The website as typed.

    Returns:
        A :class:`FieldResult` whose ``value`` is the domain (``acme.nl``);
        ``partial`` for a shared domain (``website.shared``), ``invalid``
        for text that is no web address.

    Example:
        >>> normalize_website("HTTPS://WWW.Acme.NL/contact?x=1").value
        'acme.nl'
    """
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    if is_blank(raw):
        return FieldResult(value="", status="missing")
    if is_placeholder(raw):
        return FieldResult(value="", status="invalid", reason="website.placeholder")
    text = fold(raw).strip().lower()
    text = _SCHEME.sub("", text)
    host = re.split(r"[/?#\s]", text, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    domain = domain_of(host)
    if not _HOST.fullmatch(domain):
        return FieldResult(value="", status="invalid", reason="website.invalid")
    if domain in FREE_PROVIDERS or domain in _SHARED_HOSTS:
        return FieldResult(value=domain, status="partial", reason="website.shared")
    return FieldResult(value=domain, status="valid")
