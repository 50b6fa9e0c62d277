"""citydiplomacy: the system of record and decision support for a city's international relations."""

__version__ = "0.1.0"
