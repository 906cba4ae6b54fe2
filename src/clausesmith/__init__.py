"""clausesmith: cross-licence term sheets and side letters from a deal specification."""

__version__ = "0.1.0"
