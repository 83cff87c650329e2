"""Stage 2, text: normalization with an offset map back to the original, and segmentation into paragraphs and sentences."""
