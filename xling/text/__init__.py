"""Text rules shared by every stage: sentence segmentation, numbers and quotations.
Exports (by module): segment.split_sentences/segment_paragraphs/split_long, numbers, quotes."""
