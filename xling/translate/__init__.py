"""Translation: one interface over CTranslate2 Translators (seq2seq) and Generators (LLMs)."""
