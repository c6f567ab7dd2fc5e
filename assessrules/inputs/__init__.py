"""Readers of facts: the ways the units of one assessment and their facts come in.

This package owns the data-entry workbook (考核数据.xlsx): its layout
(:mod:`._layout`), the blank or filled template written from a spec
(:mod:`.template`) and the reader that turns a filled workbook into the same
unit mappings a YAML or JSON facts file gives (:mod:`.workbook`). The template
lives here, beside its reader, because it is an input form: both read one
layout, so they cannot drift apart.
"""
