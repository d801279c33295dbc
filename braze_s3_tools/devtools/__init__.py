"""The project's own development tools (locks, benchmarks, mutation, provider extracts): never imported by users."""
