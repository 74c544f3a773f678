"""Reason codes, rendered as sentences in English or Chinese.

The store keeps only a reason *code* per value (``phone.too_short``); the
sentence is rendered when shown, in the reader's language, with the raw
value filled in. Every standardizer module declares its codes in a
module-level ``REASONS`` table of ``(English, 简体中文)`` templates that
may use ``{value}`` and ``{suggestion}``; import-time row problems are
declared here.
"""

from __future__ import annotations

from typing import Literal

from core.standardize import (
    address,
    codes,
    company,
    dates,
    email_address,
    idnumber,
    name,
    phone,
    wechat,
)

Lang = Literal["en", "zh"]

ROW_REASONS: dict[str, tuple[str, str]] = {
    "row.ragged": ("The row has a different number of cells than the header: {value}",
                   "该行的单元格数与表头不一致：{value}"),
    "row.no_identifier": ("The row has no name, phone, e-mail, WeChat, ID number or company: {value}",
                          "该行没有姓名、电话、邮箱、微信、证件号或公司等可识别信息：{value}"),
    "row.cell_too_long": ("A cell is longer than the limit: {value}", "有单元格超过长度上限：{value}"),
    "row.missing_id": ("The record id is blank: {value}", "记录编号为空：{value}"),
    "row.undecodable": ("The row holds bytes that are not valid text in the file's encoding: {value}",
                        "该行包含无法按文件编码解码的字节：{value}"),
    "row.nul_byte": ("The row holds a NUL byte (a damaged or binary file): {value}",
                     "该行包含 NUL 字节（文件可能损坏或为二进制文件）：{value}"),
    "row.stray_quote": ("A quote is opened and never closed: {value}", "引号未闭合：{value}"),
    "row.unparseable": ("The row cannot be parsed: {value}", "该行无法解析：{value}"),
}  # fmt: skip

CATALOG: dict[str, tuple[str, str]] = {
    **ROW_REASONS,
    **address.REASONS,
    **codes.REASONS,
    **company.REASONS,
    **dates.REASONS,
    **email_address.REASONS,
    **idnumber.REASONS,
    **name.REASONS,
    **phone.REASONS,
    **wechat.REASONS,
}


def explain(code: str, value: str = "", *, suggestion: str = "", lang: Lang = "en") -> str:
    """The sentence for a reason code, naming ``value``.

    An unknown code is returned as is rather than raising: a reason stored
    by a newer version must still display.

    Example:
        >>> explain("email.domain_typo", "wz@qq.con", suggestion="wz@qq.com", lang="en")  # doctest: +SKIP
        "'wz@qq.con' ... did you mean wz@qq.com?"
    """
    templates = CATALOG.get(code)
    if templates is None:
        return code
    template = templates[1] if lang == "zh" else templates[0]
    return template.format(value=value, suggestion=suggestion)
