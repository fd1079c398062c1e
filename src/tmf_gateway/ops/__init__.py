"""What operators need from a running gateway: health, metrics, request logs, traces, shutdown."""
