"""Stage 5, group: reuse across a corpus gathered into families (lines, sentences, spans), with kinds and templates."""
