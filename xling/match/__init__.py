"""Finding the English source report(s) of Arabic articles: index, scoring, pipeline."""
