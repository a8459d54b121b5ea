"""Text utilities: sentence segmentation, long-sentence splitting and number extraction."""
