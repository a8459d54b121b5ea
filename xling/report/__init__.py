"""Reports for people: rich progress and tables on stderr."""
