"""I/O at the edges: the SQL sandbox, the wall clock."""
