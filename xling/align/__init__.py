"""Alignment: sentence embeddings, word alignment and the sentence-alignment DP."""
