"""GDPR: retention, erasure on request, the right of access, the audit export, key rotation."""
