"""The sweep that claims due scheduled work and sends it."""
