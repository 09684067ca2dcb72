"""Text folding, so that "muong hoong" finds "Mường Hoong"."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without diacritics (đ → d), with runs of spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())
