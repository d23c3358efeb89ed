"""Scripts that print figures (see README.md here); not timed tests."""
