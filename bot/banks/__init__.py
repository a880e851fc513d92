"""Question banks: the YAML schema, loading, validation and the in-memory catalog."""
