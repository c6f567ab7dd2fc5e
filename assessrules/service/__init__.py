"""The HTTP service (``assessrules serve``): specs listed, units scored and checked over HTTP.

It owns the web layer only: the registry of served specs (:mod:`.registry`, each compiled once),
the OpenAPI document built from the same JSON Schemas the command line publishes
(:mod:`.openapi`), the Starlette application with its limits, problem+json errors and
request log (:mod:`.app`), and the office's web pages on it (:mod:`.web`).
It needs the optional extra: ``pip install 'assessrules[serve]'``.
"""
