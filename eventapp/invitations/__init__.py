"""Invitations: importing invitees, personal RSVP links, tracking and reminders."""
