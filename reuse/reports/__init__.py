"""Stage 8, reports: JSON, tables and Markdown of every result, with document text made inert."""
