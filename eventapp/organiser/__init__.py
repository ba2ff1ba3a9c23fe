"""The organiser console: dashboard, registrations, invitations, mailings, exports, print views, privacy."""
