"""One blueprint per entity or area."""
