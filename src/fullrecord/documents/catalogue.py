"""The seed catalogue of land-enforcement document types (第八条), as data.

Migration ``0002_seed_catalogue`` writes it into an empty catalogue; afterwards the
administrator edits the rows (admin: 文书种类). Kept here so the demo and the tests
name the same codes.
"""

from __future__ import annotations

P, C, O, PL, T, F, E, L, PEN, PAY, R, B, OP = (
    "party",
    "cause",
    "officers",
    "place",
    "time",
    "facts",
    "evidence",
    "legal_basis",
    "penalty",
    "payment",
    "remedies",
    "body",
    "opinion",
)

# code, name, stage, required, source, numbered, number word, fields, two officers, chain
SEED: list[tuple] = [
    ("clue_register", "违法线索登记表", "discovery", True, "drafted", True, "线", [P, C, PL, T, B], False, []),
    ("stop_order", "责令停止违法行为通知书", "stopping", True, "drafted", True, "停", [P, C, PL, F, L, B], False, []),
    ("filing_approval", "立案呈批表", "filing", True, "drafted", True, "立", [P, C, F, L, OP], False, ["section_head", "leader"]),
    ("interview_record", "询问笔录", "investigation", True, "drafted", True, "询", [P, O, PL, T, B], True, ["section_head"]),
    ("site_inspection", "现场勘验(测)笔录", "investigation", True, "drafted", True, "勘", [P, O, PL, T, B], True, []),
    ("investigation_report", "调查报告", "investigation", True, "drafted", True, "调", [P, C, O, F, E, L, OP], True, ["section_head"]),
    ("evidence_preservation", "证据先行登记保存通知书", "investigation", False, "drafted", True, "保", [P, E, L, B], False, ["leader"]),
    ("expert_opinion", "鉴定意见", "investigation", False, "scan", False, "", [], False, []),
    ("expert_report", "专家论证报告", "investigation", False, "scan", False, "", [], False, []),
    ("legal_review", "法制审核意见", "review", True, "drafted", True, "审", [F, E, L, OP], False, ["leader"]),
    ("collective_discussion", "集体讨论笔录", "review", False, "drafted", True, "议", [T, PL, B, OP], False, []),
    ("internal_approval", "内部程序审批表", "review", False, "drafted", True, "批", [B, OP], False, ["section_head", "leader"]),
    ("penalty_notice", "行政处罚告知书", "decision", True, "drafted", True, "告", [P, F, E, L, PEN, R], False, []),
    ("hearing_notice", "听证告知书", "decision", False, "drafted", True, "听", [P, B, R], False, []),
    ("hearing_record", "听证笔录", "decision", False, "drafted", True, "听录", [P, PL, T, B], False, []),
    ("hearing_report", "听证报告", "decision", False, "drafted", True, "听报", [F, OP], False, ["leader"]),
    ("penalty_decision", "行政处罚决定书", "decision", True, "drafted", True, "罚", [P, F, E, L, PEN, PAY, R], False, ["section_head", "legal", "leader"]),
    ("service_proof", "送达回证", "service", True, "scan", False, "", [], False, []),
    ("payment_reminder", "履行催告书", "enforcement", False, "drafted", True, "催", [P, PEN, PAY, B], False, []),
    ("enforcement_application", "强制执行申请书", "enforcement", False, "drafted", True, "执", [P, F, PEN, L, B], False, ["leader"]),
    ("enforcement_record", "执行记录", "enforcement", True, "drafted", True, "执记", [P, O, PL, T, B], False, []),
    ("closing_approval", "结案呈批表", "closing", True, "drafted", True, "结", [C, F, PEN, OP], False, ["section_head", "leader"]),
    # 第十条第三项: what the party submits (当事人提交材料), checked for completeness.
    ("party_identity", "当事人身份证明", "investigation", True, "party", False, "", [], False, []),
    ("party_land_certificate", "土地权属证明材料", "investigation", False, "party", False, "", [], False, []),
    ("party_authorisation", "授权委托书", "investigation", False, "party", False, "", [], False, []),
    ("party_statement", "陈述申辩书", "decision", False, "party", False, "", [], False, []),
    ("party_hearing_request", "听证申请书", "decision", False, "party", False, "", [], False, []),
]

FIELDS = ("code", "name", "stage", "required", "source", "numbered", "number_word", "fields", "two_officers", "approval_roles")


def rows() -> list[dict]:
    return [dict(zip(FIELDS, row, strict=True)) | {"order": index * 10} for index, row in enumerate(SEED)]
