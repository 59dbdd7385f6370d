"""Authentication for API routers reserved to a role."""

from collections.abc import Callable

from ninja.security import SessionAuth


class RoleAuth(SessionAuth):
    """Signed in, and passing `check(user)` — which raises a 403 VaoraError for any other
    role — before anything else of the request is read (the body, an id)."""

    def __init__(self, check: Callable):
        super().__init__()
        self.check = check

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            self.check(user)
        return user
