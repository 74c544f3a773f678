"""E-mail addresses: syntax check, domain-typo detection, role and free-mail flags.

CRM exports hold ``Zhang.Wei@QQ.COM``, ``mailto:info@acme.cn``,
``张伟 <zhangwei@163.com>``, ``zhangwei＠qq。com`` and ``zhangwei@qq.con``.
:func:`normalize_email` folds the first four into one canonical address and
flags the last as a probable typo with a suggestion, which it never applies.
Syntax is checked by :mod:`email_validator`, offline (no DNS lookups).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.standardize.result import FieldResult
from core.standardize.text import fold, is_placeholder

_EG = "e.g. zhang.wei@qq.com"
# Every message names the value as typed and shows the correct form.
REASONS: dict[str, tuple[str, str]] = {
    "email.placeholder": (
        f"'{{value}}' is a placeholder, not an e-mail address; enter the address, {_EG}",
        "“{value}”是占位内容，不是邮箱地址；请填写邮箱，例如 zhang.wei@qq.com",
    ),
    "email.fake": (
        f"'{{value}}' is a dummy address on a test domain; enter the real address, {_EG}",
        "“{value}”是测试用的虚构邮箱；请填写真实邮箱，例如 zhang.wei@qq.com",
    ),
    "email.no_at": (
        f"'{{value}}' has no @ sign, so it is not an e-mail address; {_EG}",
        "“{value}”缺少 @ 符号，不是邮箱地址；正确形式例如 zhang.wei@qq.com",
    ),
    "email.missing_at": (
        "'{value}' has no @ sign; it probably means {suggestion}",
        "“{value}”缺少 @ 符号；可能应为 {suggestion}",
    ),
    "email.two_at": (
        f"'{{value}}' has more than one @ sign; an address has exactly one, {_EG}",
        "“{value}”含有多个 @ 符号；邮箱只能有一个 @，例如 zhang.wei@qq.com",
    ),
    "email.no_local": (
        f"'{{value}}' has nothing before the @ sign; the mailbox name is missing, {_EG}",
        "“{value}”的 @ 前面没有内容，缺少用户名；例如 zhang.wei@qq.com",
    ),
    "email.no_domain": (
        f"'{{value}}' has nothing after the @ sign; the domain is missing, {_EG}",
        "“{value}”的 @ 后面没有内容，缺少域名；例如 zhang.wei@qq.com",
    ),
    "email.space": (
        f"'{{value}}' contains a space; an e-mail address has no spaces, {_EG}",
        "“{value}”含有空格；邮箱地址中不能有空格，例如 zhang.wei@qq.com",
    ),
    "email.bad_local": (
        f"'{{value}}' has characters or dots not allowed before the @ sign; {_EG}",
        "“{value}”的 @ 前面含有不允许的字符或句点；正确形式例如 zhang.wei@qq.com",
    ),
    "email.bad_domain": (
        f"'{{value}}' has an invalid domain after the @ sign; it needs a name and an "
        f"ending such as .com or .cn, {_EG}",
        "“{value}”@ 后面的域名无效；域名应包含名称和后缀（如 .com、.cn），例如 zhang.wei@qq.com",
    ),
    "email.reserved_domain": (
        f"'{{value}}' uses a reserved domain (like localhost or .test) that cannot receive "
        f"mail; {_EG}",
        "“{value}”使用了保留域名（如 localhost、.test），无法收信；例如 zhang.wei@qq.com",
    ),
    "email.too_long": (
        f"'{{value}}' is longer than an e-mail address may be; {_EG}",
        "“{value}”超过了邮箱地址的最大长度；例如 zhang.wei@qq.com",
    ),
    "email.invalid": (
        f"'{{value}}' is not a valid e-mail address; {_EG}",
        "“{value}”不是有效的邮箱地址；正确形式例如 zhang.wei@qq.com",
    ),
    "email.domain_typo": (
        "'{value}' looks like a typo in the domain; did you mean {suggestion}?",
        "“{value}”的域名疑似拼写错误；是否应为 {suggestion}？",
    ),
    "email.multiple": (
        f"'{{value}}' holds more than one e-mail address; only the first was kept. "
        f"Put one address per field, {_EG}",
        "“{value}”包含多个邮箱地址，只保留了第一个；每个字段请只填一个邮箱，例如 zhang.wei@qq.com",
    ),
    "email.role_account": (
        "'{value}' is a shared mailbox (info@, sales@, ...), not a person's address; "
        "a personal one looks like zhang.wei@acme.com",
        "“{value}”是公共邮箱（如 info@、sales@），不是个人邮箱；个人邮箱例如 zhang.wei@acme.com",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailResult(FieldResult):
    """A standardized e-mail address with typo suggestion and mailbox flags."""

    suggestion: str = ""
    role_account: bool = False
    free_provider: bool = False  # a consumer mailbox: a free mail service or an ISP's


_MISSING = EmailResult(value="", status="missing")

# Consumer mail providers. All of them treat the mailbox name
# case-insensitively and allow only ASCII in it, so for these we lower-case
# the local part and reject non-ASCII (张伟@qq.com cannot exist).
FREE_PROVIDERS = frozenset(
    {
        "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com",
        "vip.126.com", "yeah.net", "188.com", "163.net", "sina.com", "sina.cn", "vip.sina.com",
        "sohu.com", "vip.sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com", "tom.com",
        "21cn.com", "263.net", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
        "live.com", "live.cn", "msn.com", "yahoo.com", "ymail.com", "yahoo.co.jp",
        "yahoo.com.hk", "yahoo.com.tw", "icloud.com", "me.com", "mac.com", "aol.com",
        "mail.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "protonmail.com", "proton.me",
        "yandex.ru", "yandex.com", "mail.ru", "naver.com", "hanmail.net", "daum.net", "zoho.com",
        "hotmail.co.uk", "outlook.co.uk",
    }
)  # fmt: skip


# Consumer mailboxes of internet and phone providers (and a few more mail
# services). Like FREE_PROVIDERS they are nobody's own domain, so two
# strangers share one as readily as gmail.com; unlike them they take no part
# in typo suggestions (orange.com and sky.de are other companies' domains).
ISP_MAIL = frozenset(
    {
        # the Americas
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net",
        "charter.net", "earthlink.net", "optonline.net", "juno.com", "windstream.net",
        "frontier.com", "shaw.ca", "rogers.com", "sympatico.ca", "videotron.ca", "telus.net",
        "hotmail.ca", "live.ca", "yahoo.ca", "uol.com.br", "bol.com.br", "terra.com.br",
        "yahoo.com.br", "hotmail.com.br", "prodigy.net.mx", "yahoo.com.mx", "hotmail.es",
        # the United Kingdom and Ireland
        "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "ntlworld.com",
        "blueyonder.co.uk", "tiscali.co.uk", "yahoo.co.uk", "live.co.uk", "eircom.net",
        # Europe
        "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "bbox.fr",
        "hotmail.fr", "live.fr", "outlook.fr", "yahoo.fr", "t-online.de", "freenet.de",
        "arcor.de", "gmx.at", "gmx.ch", "hotmail.de", "outlook.de", "yahoo.de", "posteo.de",
        "kpnmail.nl", "ziggo.nl", "planet.nl", "home.nl", "hetnet.nl", "xs4all.nl",
        "casema.nl", "chello.nl", "live.nl", "hotmail.nl", "outlook.nl", "telenet.be",
        "skynet.be", "proximus.be", "hotmail.be", "live.be", "bluewin.ch", "sunrise.ch",
        "libero.it", "virgilio.it", "alice.it", "tiscali.it", "tin.it", "hotmail.it",
        "live.it", "yahoo.it", "telefonica.net", "movistar.es", "yahoo.es", "sapo.pt",
        "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "telia.com", "online.no",
        "hotmail.se", "live.se", "yahoo.se", "hotmail.dk", "live.dk", "suomi24.fi",
        # Asia and Oceania
        "bigpond.com", "bigpond.net.au", "optusnet.com.au", "iinet.net.au", "tpg.com.au",
        "internode.on.net", "yahoo.com.au", "hotmail.com.au", "live.com.au", "xtra.co.nz",
        "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "i.softbank.jp", "nifty.com",
        "nate.com", "hinet.net", "netvigator.com", "singnet.com.sg", "rediffmail.com",
        "yahoo.co.in", "yahoo.com.sg",
        # other mail services
        "fastmail.com", "fastmail.fm", "tutanota.com", "pm.me", "hey.com", "gmx.us",
    }
)  # fmt: skip


def _names_by_ending() -> dict[str, list[str]]:
    """Provider names grouped by what follows them: {"com": ["gmail", "qq", ...]}."""
    names: dict[str, list[str]] = {}
    for domain in sorted(FREE_PROVIDERS):
        name, _, ending = domain.partition(".")
        names.setdefault(ending, []).append(name)
    return names


_PROVIDER_NAMES_BY_ENDING = _names_by_ending()
_PROVIDERS_LONGEST_FIRST = sorted(FREE_PROVIDERS, key=len, reverse=True)
# The main domain per provider name, .com first: qq → qq.com, sina → sina.com.
_PROVIDER_BY_NAME = {
    d.split(".")[0]: d
    for d in sorted(FREE_PROVIDERS, key=lambda d: d.endswith(".com"))
    if d.count(".") == 1
}

# Typos seen in real exports, checked before the fuzzy match.
_TYPOS = {
    "qq.con": "qq.com", "qq.cm": "qq.com", "qq.co": "qq.com", "qq.om": "qq.com",
    "qq.cn": "qq.com", "qq.comm": "qq.com", "qq.vom": "qq.com", "qqq.com": "qq.com",
    "163.cm": "163.com", "163.con": "163.com", "163.co": "163.com", "163.cn": "163.com",
    "126.con": "126.com", "126.cm": "126.com", "126.co": "126.com", "126.cn": "126.com",
    "gmial.com": "gmail.com", "gmai.com": "gmail.com", "gamil.com": "gmail.com",
    "gmail.co": "gmail.com", "gmail.cn": "gmail.com", "gnail.com": "gmail.com",
    "hotmial.com": "hotmail.com", "hotmai.com": "hotmail.com", "outlook.co": "outlook.com",
    "outlok.com": "outlook.com", "yaho.com": "yahoo.com", "yahooo.com": "yahoo.com",
    "foxmai.com": "foxmail.com", "foxmial.com": "foxmail.com", "sina.con": "sina.com",
    "sian.com": "sina.com", "sohu.con": "sohu.com", "icoud.com": "icloud.com",
}  # fmt: skip
# Top-level labels that do not exist and are one key away from "com".
_BAD_TLDS = {"con", "cmo", "ocm", "comm", "cpm", "vom", "xom", "coom", "c0m", "cim", "comn"}
_FAKE_DOMAINS = frozenset(
    {"example.com", "example.org", "example.net", "test.com", "xxx.com", "none.com",
     "null.com", "noemail.com", "nomail.com"}
)  # fmt: skip
ROLE_ACCOUNTS = frozenset(
    {
        "info", "sales", "service", "services", "admin", "hr", "contact", "support", "office",
        "marketing", "kefu", "postmaster", "webmaster", "hostmaster", "noreply", "no-reply",
        "billing", "finance", "caiwu", "accounts", "accounting", "job", "jobs", "career",
        "careers", "hello", "team", "help", "helpdesk", "enquiry", "enquiries", "inquiry",
        "market", "pr", "press", "media", "bd", "biz", "business", "cs", "customerservice",
        "order", "orders", "purchase", "purchasing", "caigou", "xiaoshou", "renshi", "zhaopin",
        "feedback", "legal", "it", "tech", "mail", "service-cn", "sale", "contactus", "fuwu",
    }
)  # fmt: skip

_LABEL = re.compile(r"^(?:e-?mail|mail|邮箱|电子邮箱|电子邮件|邮件|邮箱地址)\s*:\s*", re.IGNORECASE)
_MAILTO = re.compile(r"^mailto:\s*", re.IGNORECASE)
_ANGLE = re.compile(r"<([^<>]*@[^<>]*)>")
_AROUND_PUNCT = re.compile(r"\s*([@.])\s*")
_SPACE = re.compile(r"\s")
_SEPARATORS = re.compile(r"[\s;,、|/]+")
_QUOTES = "\"'`“”‘’<>()[]{}"
_NOTE = re.compile(r"\s*\([^()@]*\)$")  # zhangwei@qq.com（工作）


def _clean(text: str) -> str:
    """Peel labels, mailto:, display names and quotes; fold odd @ and dots."""
    text = text.replace("。", ".")
    previous = None
    while previous != text:
        previous = text
        if match := _ANGLE.search(text):  # 张伟 <zhangwei@163.com>
            text = match[1]
        text = _NOTE.sub("", _MAILTO.sub("", _LABEL.sub("", text)))
        text = text.strip().strip(_QUOTES).strip()
    # Without whitespace the substitution would change nothing.
    return _AROUND_PUNCT.sub(r"\1", text) if _SPACE.search(text) else text


@functools.lru_cache(maxsize=16384)
def _suggest_domain(domain: str) -> str:
    """The provider domain ``domain`` was probably meant to be, or ""."""
    if domain in FREE_PROVIDERS:
        return ""
    if domain in _TYPOS:
        return _TYPOS[domain]
    labels = domain.split(".")
    if labels[-1] in _BAD_TLDS:
        return ".".join([*labels[:-1], "com"])
    if domain.endswith(".com.cm"):  # Cameroon's .cm is one key from .cn
        return domain[: -len(".cm")] + ".cn"
    if len(labels) == 2 and labels[0] in _PROVIDER_BY_NAME:
        known = _PROVIDER_BY_NAME[labels[0]]
        if OSA.distance(labels[1], known.split(".", 1)[1]) <= 1:  # qq.cm, gmail.co
            return known
    # Fuzzy: a mistyped provider name with the provider's own ending
    # (gmial.com, hotmial.com). Short names are left to the table above: at
    # one edit, sino.com or life.com are other companies, not typos.
    name, _, ending = domain.partition(".")
    if len(name) < 5 or not re.search(r"[a-z]", name):
        return ""
    cutoff = 2 if len(name) >= 8 else 1
    best = process.extractOne(
        name, _PROVIDER_NAMES_BY_ENDING.get(ending, ()), scorer=OSA.distance, score_cutoff=cutoff
    )
    return f"{best[0]}.{ending}" if best else ""


def _invalid(reason: str, suggestion: str = "") -> EmailResult:
    return EmailResult(value="", status="invalid", reason=reason, suggestion=suggestion)


# An ASCII dot-atom mailbox name (RFC 5322 atext, as email_validator's
# DOT_ATOM_TEXT): email_validator accepts it as it is.
_ATEXT = r"[a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~]+"
_DOT_ATOM = re.compile(f"{_ATEXT}(?:\\.{_ATEXT})*")
_MAX_ADDRESS = 254  # octets, RFC 5321 (email_validator's EMAIL_MAX_LENGTH)
_MAX_LOCAL = 64
_CASE_INSENSITIVE = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


@functools.lru_cache(maxsize=16384)
def _domain_forms(domain: str) -> tuple[str, str] | None:
    """(domain, ASCII domain) as email_validator normalises ``domain`` after
    an @, or None when it rejects it. Domains repeat a lot (qq.com, 163.com,
    a company's own), and their validation is most of email_validator's cost."""
    try:
        probe = validate_email("a@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return None
    return probe.domain, probe.ascii_domain


def _plain(address: str, local: str, domain: str) -> tuple[str, str] | None:
    """(mailbox, domain) of an ASCII address with a dot-atom mailbox name,
    exactly as email_validator would return them; None when the address is
    not that simple or may be invalid (then the caller asks email_validator
    itself).

    email_validator checks the mailbox name and the domain independently,
    then the total length: an ASCII dot-atom mailbox name is valid as it is,
    and its only normalisation is lower-casing the RFC 2142 role names
    (Postmaster, INFO) it lists; so the answer is that mailbox name, the
    domain's forms, cached, and the length check."""
    if not (address.isascii() and len(local) <= _MAX_LOCAL):
        return None
    if _DOT_ATOM.fullmatch(local) is None:
        return None
    forms = _domain_forms(domain)
    if forms is None:
        return None
    longest = max(len(domain), len(forms[0].encode("utf-8")), len(forms[1]))
    if len(local) + 1 + longest > _MAX_ADDRESS:
        return None
    lowered = local.lower()
    return lowered if lowered in _CASE_INSENSITIVE else local, forms[0]


def _check(address: str) -> tuple[str, tuple[str, str] | None]:
    """Validate ``address``: ("", (mailbox, domain)) or (a reason code, None)."""
    if "@" not in address:
        return "email.no_at", None
    local, _, domain = address.rpartition("@")
    if "@" in local:
        return "email.two_at", None
    if not local:
        return "email.no_local", None
    if not domain:
        return "email.no_domain", None
    if " " in address:
        return "email.space", None
    plain = _plain(address, local, domain)
    if plain is not None:
        return "", plain
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        message = str(exc)
    else:
        return "", (valid.local_part, valid.domain)
    if "too long" in message:
        return "email.too_long", None
    if "special-use" in message:
        return "email.reserved_domain", None
    try:  # Which side is wrong? Try the mailbox name on a known-good domain.
        validate_email(local + "@qq.com", check_deliverability=False)
    except EmailNotValidError:
        return "email.bad_local", None
    return "email.bad_domain", None


def _missing_at(text: str) -> str:
    """The address meant by ``text`` if it is an address with the @ left out."""
    lowered = text.lower()
    for domain in _PROVIDERS_LONGEST_FIRST:
        head = lowered.removesuffix(domain).removesuffix(".")  # zhangwei.163.com
        if head != lowered and head != "www" and re.fullmatch(r"[a-z0-9._-]+", head):
            return text[: len(head)] + "@" + domain
    return ""


@functools.lru_cache(maxsize=65536)
def normalize_email(raw: str) -> EmailResult:
    """Standardize an e-mail cell.

    Contract: pure, offline, never raises, idempotent on ``value``. The domain
    is lower-cased; the mailbox name too for consumer providers (qq.com,
    gmail.com, ...), whose mailboxes are case-insensitive, and kept as typed
    elsewhere. A probable domain typo gives status ``suspect``: ``value``
    stays the address as typed and ``suggestion`` holds the likely intended
    address, never applied.

    Args:
        raw: The cell as typed, e.g. ``"mailto:Zhang.Wei@QQ.COM"`` or
            ``"张伟 <zhangwei@163.com>"``. When it holds several addresses the
            first valid one is kept, with reason ``email.multiple``.

    Returns:
        An :class:`EmailResult`; ``role_account`` marks shared mailboxes
        (info@, sales@, ...) and ``free_provider`` consumer mail services.

    Example:
        >>> normalize_email("Zhang.Wei＠QQ。COM").value
        'zhang.wei@qq.com'
        >>> normalize_email("zhangwei@qq.con").suggestion
        'zhangwei@qq.com'
    """
    text = fold(raw)
    if not text:
        return _MISSING
    if is_placeholder(text):
        return _invalid("email.placeholder")
    text = _clean(text)
    candidates = [a for a in _SEPARATORS.split(text) if "@" in a]
    multiple = len(candidates) > 1
    checks = [_check(a) for a in candidates] if multiple else [_check(text)]
    valid = next((v for _, v in checks if v is not None), None)
    if valid is None:
        reason = checks[0][0]
        suggestion = _missing_at(text) if reason == "email.no_at" else ""
        return _invalid("email.missing_at" if suggestion else reason, suggestion)
    local, domain = valid[0], valid[1].lower()
    free = domain in FREE_PROVIDERS
    if free:
        if not local.isascii():
            return _invalid("email.bad_local")
        local = local.lower()
    if domain in _FAKE_DOMAINS:
        return _invalid("email.fake")
    value = f"{local}@{domain}"
    role = local.lower().split("+")[0] in ROLE_ACCOUNTS
    if fixed := _suggest_domain(domain):
        return EmailResult(
            value=value,
            status="suspect",
            reason="email.domain_typo",
            suggestion=f"{local}@{fixed}",
            role_account=role,
        )
    reason = "email.multiple" if multiple else "email.role_account" if role else ""
    return EmailResult(
        value=value,
        status="valid",
        reason=reason,
        role_account=role,
        free_provider=free or domain in ISP_MAIL,
    )
