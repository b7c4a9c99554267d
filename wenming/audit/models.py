"""The tamper-evident audit log: append-only rows chained with HMAC-SM3."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    SESSION_TIMEOUT = "session_timeout", _("会话超时")
    SESSION_KILLED = "session_killed", _("强制下线")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    OTP = "otp", _("双因素认证")
    USER_CHANGE = "user_change", _("账号变更")
    ROLE_GRANT = "role_grant", _("授予角色")
    ROLE_REVOKE = "role_revoke", _("撤销角色")
    UNLOCK = "unlock", _("解除锁定")
    PII_REVEAL = "pii_reveal", _("查看个人信息")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    ORG_MOVE = "org_move", _("机构调整")
    DECISION = "decision", _("流程决定")
    DOWNLOAD = "download", _("下载")
    AUDIT_READ = "audit_read", _("查阅审计日志")
    ACCESS_DENIED = "access_denied", _("越权访问")


class AuditEvent(models.Model):
    """One security-relevant event. Never updated or deleted (database triggers refuse it).

    A writer only INSERTs the row with its ``mac`` (HMAC over the content); the sealing job later sets
    ``seq``, ``prev_hash`` and ``hash`` once — the one UPDATE the triggers allow (NULL → value, nothing
    else changes). See docs/adr/0004-audit-chain.md.
    """

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    actor_username = models.CharField(_("用户"), max_length=150, blank=True)
    ip = models.CharField(_("来源IP"), max_length=45, blank=True)
    action = models.CharField(_("事件"), max_length=30, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, default="success")
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    mac = models.CharField(_("内容校验码"), max_length=64, db_default="")
    seq = models.BigIntegerField(_("链序号"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    hash = models.CharField(max_length=64, null=True, blank=True)  # seq is the unique position

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["id"]
        constraints = [
            # Partial: writers insert NULL and never touch this index; only the sealer does.
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(seq__isnull=False), name="audit_event_seq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")  # the action happened
    FAILURE = "failure", _("失败")  # the action was attempted and failed
    DENIED = "denied", _("拒绝")  # the action was refused (permission, policy)


class AuditHead(models.Model):
    """The single anchor row (pk=1): last sealed row's id, sealed count (= its seq) and hash, MAC'd.

    Only the sealing job moves it (forward: the count never goes down).
    """

    last_id = models.BigIntegerField(_("最后记录ID"), default=0)
    event_count = models.BigIntegerField(_("记录数"), default=0)
    hash = models.CharField(_("末尾哈希"), max_length=64)
    mac = models.CharField(_("锚点校验码"), max_length=64)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("审计锚点")
        verbose_name_plural = _("审计锚点")

    def __str__(self) -> str:
        return f"#{self.last_id} ({self.event_count})"
