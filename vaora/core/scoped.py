"""Querysets that fail closed (docs/decisions/0013-scoping-fails-closed.md): the default
manager of a model holding personal data refuses to be read unless the query says whose eyes
it is for —

- `.visible_to(user)`: narrowed to what this user may see (the model's own rule), or
- `.for_system(reason)`: code that must read beyond one user — the check-in engine, the purge,
  rollups, a service that has already checked the caller — says so, in words a reviewer can
  grep for;
- a related manager (`case.contacts`, `person.visits`) reached through an object the caller
  already holds counts as scoped: the object itself was fetched through one of the above.

Reading an unscoped query (iterating, `get`, `first`, `count`, `exists`, `update`, `delete`)
raises UnscopedQuery: a programming error, caught by the test suite, never a silent leak.
Building one (filtering, using it as a subquery) is allowed. Like pretix's ScopedManager (the
django-scopes package), but scoped by the person asking rather than by one tenant column — see
the decision record for why we did not use that package.
"""

from django.db import models


class UnscopedQuery(Exception):
    """A query on a fail-closed model was read without saying whose eyes it is for."""


class ScopedQuerySet(models.QuerySet):
    _vaora_scoped = False

    def _clone(self):
        clone = super()._clone()
        clone._vaora_scoped = self._vaora_scoped
        return clone

    def scoped(self):
        """Marks this query as narrowed (for visible_to implementations)."""
        clone = self._chain()
        clone._vaora_scoped = True
        return clone

    def for_system(self, reason: str):
        """Reads beyond one user, on purpose; `reason` says why (kept in the source)."""
        if not reason or len(reason.strip()) < 8:
            raise ValueError("for_system needs a reason")
        return self.scoped()

    def _require_scope(self) -> None:
        if not self._vaora_scoped:
            name = self.model.__name__
            raise UnscopedQuery(
                f"{name}.objects read without scope: use .visible_to(user) or "
                f".for_system(reason) (vaora/core/scoped.py)"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._require_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._require_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._require_scope()
        return super().count()

    def exists(self):
        self._require_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._require_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._require_scope()
        return super().update(**kwargs)

    def delete(self):
        self._require_scope()
        return super().delete()

    def in_bulk(self, *args, **kwargs):
        self._require_scope()
        return super().in_bulk(*args, **kwargs)


class ScopedManagerMixin:
    """A related manager (reached through an object the caller holds) starts scoped."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "instance", None) is not None:
            queryset._vaora_scoped = True
        return queryset


def scoped_manager(queryset_class):
    """The fail-closed default manager for a model whose queryset is `queryset_class`."""
    base = models.Manager.from_queryset(queryset_class)
    return type(f"Scoped{queryset_class.__name__}Manager", (ScopedManagerMixin, base), {})()
