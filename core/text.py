"""Text folding, so that "muong hoong" finds "Mường Hoong", and names kept in one form."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without diacritics (đ → d), with runs of spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())


def one_line(text: str) -> str:
    """Unicode NFC (a name typed decomposed, "Mu\u031bo\u031b\u0300ng", is stored as "Mường"), with runs
    of spaces and line breaks collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())
