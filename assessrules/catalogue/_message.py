"""What one code of the catalogue says, in Chinese and English."""

from __future__ import annotations

import attrs


@attrs.frozen
class Message:
    """One code's texts: what it means (or the line itself), and a problem's sentence and hint."""

    en: str
    zh: str
    text_zh: str | None = None
    hint_zh: str | None = None
    text_en: str | None = None
    hint_en: str | None = None

    def sentence(self, lang: str) -> str | None:
        """The problem's sentence in ``lang``, if the code has one."""
        return self.text_zh if lang == "zh" else self.text_en

    def advice(self, lang: str) -> str | None:
        """The problem's hint in ``lang``, if the code has one."""
        return self.hint_zh if lang == "zh" else self.hint_en
