"""vaora — QR entry/exit, declarations and contact tracing for a Vietnamese province."""

__version__ = "0.1.0"
