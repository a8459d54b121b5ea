"""Files in and out: reading and decoding inputs, pairing folders by stem, atomic writes.
Exports (by module): articles.read_text/iter_articles, pairs.pair_folders, atomic.atomic_open."""
