"""Alignment of an English text with its Arabic translation: sentences and words.
Exports (by module): sentences.align_texts/Alignment/Link, words, embed.load_embedder."""
