"""Command-line tools that use the system from outside, as its users and downstream systems would."""
