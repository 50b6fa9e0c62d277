"""citydiplomacy."""
