"""Prefect flows: the orchestration layer. The logic they call lives in sakip.ingest, sakip.readers,
sakip.schemas and sakip.warehouse."""
