"""Stage 6, commands: what diff, scan, audit and clean compute, from prepared documents to results."""
