"""Output formats. Every reporter reads the same records; none re-analyses anything."""
