"""The ticket: QR code, manage page, PDF ticket and calendar file."""
