"""Outputs: renderers and writers of results (workbook, HTML report, cells, score breakdown).

Each module here is a view of the :class:`~assessrules.results.Result` objects the engine made:
none recomputes a score. Outputs never import inputs (readers of facts files), nor the reverse.
"""
