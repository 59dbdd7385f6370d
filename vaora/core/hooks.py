"""Extension points, so that a lower layer can ask what the apps above it know without
importing them (docs/decisions/0012-layers.md): core asks every app for its retention rule,
people asks for a person's visits and findings. An app answers by registering a function in its
AppConfig.ready(); a new app adds its own answers without editing the asker.

Points used today:
- "retention.purge"  fn(now) -> {kind: rows deleted}   (core.retention.purge)
- "retention.after"  fn(now) -> {kind: rows deleted}   (after every retention.purge answer)
- "person.visits"    fn(persons) -> queryset of visits  (people: "my data")
- "person.findings"  fn(persons) -> queryset of contacts (people: "my data")
- "person.exposures" fn(person) -> list                  (people: the citizen's home page)
- "home.places"      fn(user) -> queryset of venues      (core: an official's home page)
- "jobs.periodic"    fn() -> [jobs.Periodic]             (core.jobs.schedule: the worker)
- "crypto.reindex"   fn() -> {model label: fn(row) -> index fields set}  (core.rotation)
- "visits.changed"   fn(days) -> None  visits of these local days changed other than by new
                     visits (visits.services.correct_times; oversight recomputes their counts)
"""

from collections import defaultdict
from collections.abc import Callable

_points: dict[str, list[Callable]] = defaultdict(list)


def register(point: str, function: Callable) -> None:
    if function not in _points[point]:
        _points[point].append(function)


def answers(point: str, *args, **kwargs) -> list:
    """Every registered answer, in registration (app) order."""
    return [function(*args, **kwargs) for function in _points[point]]


def answer(point: str, *args, default=None, **kwargs):
    """The one answer to a point only one app answers (`default` when none does)."""
    functions = _points[point]
    if not functions:
        return default
    if len(functions) > 1:
        raise RuntimeError(f"{point}: {len(functions)} answers where one is expected")
    return functions[0](*args, **kwargs)
