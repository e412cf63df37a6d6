"""The document centre: regional and local policy documents with versions (seed 3.2.1, 3.2.9)."""
