"""What the public may see and when: report scopes, the public view of meetings, embargo events and provenance."""
