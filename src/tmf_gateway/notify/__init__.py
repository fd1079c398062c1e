"""Notifier implementations (ports.Notifier): the built-in SMTP sender."""
