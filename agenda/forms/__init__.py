"""Forms of the agenda app's pages."""
