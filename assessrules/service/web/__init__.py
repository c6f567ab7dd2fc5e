"""The office's web pages of ``assessrules serve``: 首页, the upload form and its problems, the results, each
unit's 扣分明细, the bulletins, the downloads and the 考评细则 (:mod:`.pages`), and where uploads are kept for
a while (:mod:`.uploads`). Server-rendered jinja2 (``templates/``), one stylesheet (``static/site.css``), no
script.
"""
