"""Reads of the analysts' API; every one goes through the owning app's selectors."""
