"""The outbox: mails written in the same transaction as their cause, delivered after commit."""
