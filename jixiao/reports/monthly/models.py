"""The monthly report's tables."""
