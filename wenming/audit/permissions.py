"""The name of the action that opens the audit log (declared and granted in ``accounts.roles``, which sits
above this app: the audit layer names the action without importing the role catalogue)."""

AUDIT_VIEW = "audit.view"
