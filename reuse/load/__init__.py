"""Stage 1, load: files, directories, JSONL, standard input and HTML pages become documents (text as the user gave it)."""
