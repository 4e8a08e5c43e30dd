"""Writes of the analysts' API: tokens, the search index, scale data."""
