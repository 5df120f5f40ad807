"""The reporting service: read projections built only from the other services' events."""
