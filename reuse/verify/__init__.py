"""Stage 4, verify: candidates checked exactly, shared stretches found and snapped to words, statuses decided."""
