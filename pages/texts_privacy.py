"""UI texts of data-subject requests (merged into :mod:`pages.texts`; a
test checks both languages have the same keys)."""

EN: dict[str, str] = {
    "subject.title": "Data-subject requests",
    "subject.intro": "A person may ask to see everything held about them, or to have it erased "
    "(PIPL, GDPR). Both are written to the audit trail; an erasure cannot be undone.",
    "subject.customer": "Customer id",
    "subject.about": "Customer {id}: {name}, {n} source records from {channels}.",
    "subject.already_erased": "This customer's personal data has already been erased.",
    "subject.export": "Export everything held (JSON)",
    "subject.download": "Download the export",
    "subject.reason": "Reason for the erasure",
    "subject.reason_hint": "the request's reference, e.g. PIPL request 2026-118",
    "subject.erase": "Erase this person's data",
    "subject.erase_warning": "Every personal value of customer {id} will be removed from the "
    "records, golden values, match explanations, quarantined rows and audit payloads, and the "
    "file will be vacuumed. This cannot be undone.",
    "subject.erase_type": "Type the customer id ({id}) to confirm",
    "subject.erase_confirm": "Erase for good",
    "subject.erased": "Customer {customer_id} erased: {records} records, {values_removed} golden "
    "values, {payloads_removed} audit payloads, {quarantine_rows_redacted} quarantined rows "
    "(trail entry #{audit_seq}).",
    "subject.reasons_kept": "{n} audit entries have a note that mentions the person; notes are "
    "part of the tamper-evident chain and were kept.",
    "subject.related": "Other customers share a mobile, e-mail, ID number or WeChat with this "
    "one. Decide for each: the same person is erased too; another person keeps their records "
    "(the shared value is redacted only in the history of this person's decisions).",
    "subject.related_row": "Customer {id}: {name}, {n} records from {channels}; shares: {fields}",
    "subject.include": "Same person: erase too",
    "subject.exclude": "Another person: keep",
    "subject.undecided": "Decide on every customer listed before erasing.",
    "subject.erase_also": "Also erased, as the same person: customers {ids}.",
    "subject.erased_also": "Also erased, as the same person: customers {ids}.",
    "subject.not_vacuumed": "The erasure was committed, but the database file could not be "
    "vacuumed ({problem}), so erased values may remain in its free pages. Do not erase again: "
    "free some disk space, then have the operator run python -m core subject compact.",
}

ZH: dict[str, str] = {
    "subject.title": "个人信息主体请求",
    "subject.intro": "个人有权查阅我们持有的其全部信息，或要求删除（《个人信息保护法》、GDPR）。"
    "两种操作都会写入审计日志；删除不可撤销。",
    "subject.customer": "客户编号",
    "subject.about": "客户 {id}：{name}，共 {n} 条源记录，来自 {channels}。",
    "subject.already_erased": "该客户的个人信息已被删除。",
    "subject.export": "导出全部信息（JSON）",
    "subject.download": "下载导出文件",
    "subject.reason": "删除原因",
    "subject.reason_hint": "请求编号，例如 PIPL request 2026-118",
    "subject.erase": "删除此人的信息",
    "subject.erase_warning": "客户 {id} 的所有个人信息将从源记录、黄金记录、匹配说明、隔离行和审计载荷中删除，"
    "数据库文件将被压缩整理。此操作不可撤销。",
    "subject.erase_type": "输入客户编号（{id}）以确认",
    "subject.erase_confirm": "永久删除",
    "subject.erased": "客户 {customer_id} 已删除：{records} 条记录、{values_removed} 个黄金值、"
    "{payloads_removed} 个审计载荷、{quarantine_rows_redacted} 条隔离行（审计日志第 {audit_seq} 条）。",
    "subject.reasons_kept": "有 {n} 条审计记录的备注提到此人；备注属于防篡改链的一部分，已保留。",
    "subject.related": "其他客户与此客户有相同的手机、邮箱、证件号或微信。请逐一确认：同一人将一并删除；"
    "不同的人保留其记录（共有的值只在与此人相关的历史中被涂去）。",
    "subject.related_row": "客户 {id}：{name}，共 {n} 条记录，来自 {channels}；相同：{fields}",
    "subject.include": "同一人：一并删除",
    "subject.exclude": "不同的人：保留",
    "subject.undecided": "请先对列出的每位客户作出选择，再删除。",
    "subject.erase_also": "作为同一人一并删除的客户：{ids}。",
    "subject.erased_also": "已作为同一人一并删除的客户：{ids}。",
    "subject.not_vacuumed": "删除已提交，但数据库文件未能压缩整理（{problem}），已删除的数值可能仍留在空闲页中。"
    "请勿重复删除：先腾出磁盘空间，再由运维人员运行 python -m core subject compact。",
}
