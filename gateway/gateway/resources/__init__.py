"""Endpoints by resource; ALL_ROUTES is what the service, OpenAPI and the tests read."""

from gateway.resources import audit, members, oversight, plans, reports, sessions, tree, users
from gateway.routes import Route

ALL_ROUTES: list[Route] = [
    *users.ROUTES,
    *tree.ROUTES,
    *members.ROUTES,
    *plans.ROUTES,
    *sessions.ROUTES,
    *oversight.ROUTES,
    *reports.ROUTES,
    *audit.ROUTES,
]
