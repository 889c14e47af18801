"""Access hardening: sign-in lockout, the second factor, response headers, start-up checks."""
