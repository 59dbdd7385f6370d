"""Deterministic demo data for Nghệ An (`vaora demo`). Each generator is idempotent: it derives
every record from (seed, index), looks up what already exists by a natural key, and bulk-inserts
only the rest — so re-running adds nothing and a larger count extends the same data set."""
