"""Documents an office issues — the 公示, the quarterly 通报, the 扣分明细 and the whole report — as Word (.docx),
HTML and PDF.

Rooms: :mod:`.model` (what a document is made of, in no format), :mod:`.build` (the documents, made from
results), :mod:`.word` (Word, with python-docx), :mod:`.printed` (HTML with its print stylesheet, and PDF
through WeasyPrint, the ``[pdf]`` extra). The layout follows GB/T 9704 (党政机关公文格式) as far as a
generated document can: A4, margins 37/35/28/26 mm, the title in 小标宋, the body in 仿宋, page numbers
``— 1 —`` at the foot.
"""
