"""Template tags of the agenda pages."""
