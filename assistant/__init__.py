"""Pre-school policy assistant: answers questions with the exact wording of the pre-school's policies."""

__version__ = "0.1.0"
