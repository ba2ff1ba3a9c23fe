"""The Event row (one per deployment) and the public event page."""
