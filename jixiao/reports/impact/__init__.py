"""A plan's impact before approval (SPEC §5): the new version run on the last closed cycles' data."""
