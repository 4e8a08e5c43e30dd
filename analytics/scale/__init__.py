"""Scale data for benchmarks (``seed_scale``, bench/): years of sessions, ~100k
statements, papers and grants, in ``seed`` (the steps in ``table`` and ``record``).

Rows are written in large ``bulk_create`` batches with every value computed
up front (no per-row save, no service call), so a full-size run takes about a
minute on PostgreSQL. The grants are the direct-FK group grants the
invitation services make, with matching invitations; the statements sit in
approved minutes; one statement in ten and one paper in ten mention
"airspace", the term the search benchmark looks for.
"""
