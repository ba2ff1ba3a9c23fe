"""RSVP: organisations, registrations, commitments, suggested partners, waitlist."""
