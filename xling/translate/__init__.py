"""Translation: one interface over CTranslate2 Translators (seq2seq) and Generators (LLMs).
Exports (by module): engine.load_engine, batch.BatchTranslator, pipeline.translate_articles."""
