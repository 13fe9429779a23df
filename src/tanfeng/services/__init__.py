"""Use cases: orchestrate domain packages and the store; the API and the CLI call these."""
