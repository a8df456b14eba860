"""The content checks, one module per rule; ``newsroom.checks.engine`` runs them over an article's fields."""
