"""The migration scripts (Alembic reads them by path; this file only makes them a package)."""
