"""The application shell: configuration, extensions, database set-up, errors, CLI."""
