"""Writes of the agenda app; each module owns one part of the quarterly cycle."""
