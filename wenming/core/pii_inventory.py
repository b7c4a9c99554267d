"""The declared inventory of personal-data fields (PIPL Art. 5/6 minimisation; quality.md PR6).

Every model field whose name or label looks like an ID number or a phone must appear here with how
it is protected; ``wenming/core/tests/test_pii_inventory.py`` fails on any undeclared field and on
any entry that no longer exists. Add a field here in the same change that adds it to a model.

Protection kinds:

- ``SM4``: SM4-GCM ciphertext with a key id (``wenming.core.crypto.encrypt``); plaintext never stored.
- ``BLIND_INDEX``: HMAC-SM3 keyed hash of the normalised value, for exact search and uniqueness.
- ``MASKED``: only the server-side mask (``210***********1234``, ``138****5678``) is stored.
- ``PLAIN``: stored as typed; allowed only where the value is not an individual's personal data.
"""

from __future__ import annotations

SM4 = "SM4"
BLIND_INDEX = "BLIND_INDEX"
MASKED = "MASKED"
PLAIN = "PLAIN"

PROTECTIONS = {SM4, BLIND_INDEX, MASKED, PLAIN}

# model label → field name → (protection, what it holds / why)
PII_INVENTORY: dict[str, dict[str, tuple[str, str]]] = {
    "people.Courier": {
        "id_number_enc": (SM4, "快递员身份证号密文"),
        "id_number_index": (BLIND_INDEX, "身份证号盲索引：查重与精确查找"),
        "id_number_hint": (MASKED, "身份证号脱敏显示值"),
        "phone_enc": (SM4, "快递员手机号密文"),
        "phone_index": (BLIND_INDEX, "手机号盲索引：精确查找"),
        "phone_hint": (MASKED, "手机号脱敏显示值"),
    },
    "organizations.Organization": {
        "contact_phone": (PLAIN, "单位办公电话（公开的单位联系方式，不得填写个人手机号）"),
    },
    "complaints.Complaint": {
        "phone_enc": (SM4, "申诉人联系电话密文"),
        "phone_index": (BLIND_INDEX, "联系电话盲索引：申诉人凭编号和电话查询进度"),
        "phone_hint": (MASKED, "联系电话脱敏显示值"),
    },
    "certificates.Certificate": {
        "subject_id_hint": (MASKED, "证书持有人身份证号脱敏值（证书内容冻结，不存明文）"),
    },
    "publicity.Suggestion": {
        "phone_enc": (SM4, "建言献策提出人联系电话密文"),
        "phone_hint": (MASKED, "建言献策提出人联系电话脱敏显示值"),
    },
    "honours.Programme": {
        "supervision_phone": (PLAIN, "公示监督电话（主管机关公开的办公电话，不得填写个人手机号）"),
    },
    "honours.Notice": {
        "phone": (PLAIN, "公示监督电话（主管机关公开的办公电话，不得填写个人手机号）"),
    },
    "honours.Objection": {
        "phone_enc": (SM4, "实名异议人联系电话密文"),
        "phone_hint": (MASKED, "实名异议人联系电话脱敏显示值"),
    },
    "voting.OtpChallenge": {
        "phone_key": (BLIND_INDEX, "投票验证码对应手机号的 HMAC（按手机号限制发送，不存明文）"),
    },
}

# Models whose ``str()`` is a data subject's name: the audit log keeps only the masked name (张*明).
PERSON_NAME_MODELS = frozenset({"people.Courier", "activities.VolunteerSignup"})
