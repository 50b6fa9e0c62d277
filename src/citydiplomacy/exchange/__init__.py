"""Exchange: a practice library that cities search, compare and borrow from (issue 6).

* ``models``: practices, transfers, search filters;
* ``jsonl``: the ``practices.jsonl`` library format;
* ``store``: rows <-> models; ``lexical``: SQLite FTS5 / PostgreSQL full-text search;
* ``embeddings`` and ``vector_index``: semantic search (optional extra ``citydiplomacy[semantic]``);
* ``search``: hybrid fusion and "why it matched"; ``peers``; ``diffusion``;
* ``results``: what the services in ``citydiplomacy.services.practices`` return.
"""
