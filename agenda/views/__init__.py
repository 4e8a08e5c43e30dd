"""Pages of the agenda app."""
