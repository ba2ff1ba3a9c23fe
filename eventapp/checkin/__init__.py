"""The door: scanner page, check-in API, lookup, walk-ins, undo and the check-in log."""
