"""Headless games at scale: one game as a log or a flat row, batches on local cores or a Dask cluster, statistics."""
