"""Stage 3, sketch: the one prepared form of a document, its shingles, MinHash signatures and LSH candidates."""
