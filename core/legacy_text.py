"""Vietnamese typed in the legacy font encodings TCVN3 (ABC, the ".VnTime" fonts) and VNI Windows,
back to Unicode NFC.

Such text reaches us as the Windows-1252 characters of its bytes: "Ng­êi" is TCVN3 for "Người",
"Ngöôøi" is VNI. Detection never trusts a single odd character: a cell is converted only if it has
none of Unicode's own Vietnamese letters (ă, ơ, ư, đ, ĩ, ũ, ạ…ỹ), a word Unicode Vietnamese could not
have (a letter it never uses, or no syllable as it stands), and every word the conversion changes
comes out as a Vietnamese syllable. No maintained converter for these encodings is published on
PyPI, hence these tables.
"""

import re
import unicodedata

TCVN3 = "TCVN3"
VNI = "VNI"

# TCVN3 (ABC) has no capitals with tone marks: the ".VnTimeH" fonts draw the small letters' codes as
# capitals, so a word typed in capitals is put back in capitals (see _tcvn3_word).
_TCVN3_LETTERS = {
    "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§",
    "ă": "¨", "â": "©", "ê": "ª", "ô": "«", "ơ": "¬", "ư": "\xad", "đ": "®",
    "à": "µ", "ả": "¶", "ã": "·", "á": "¸", "ạ": "¹",
    "ằ": "»", "ẳ": "¼", "ẵ": "½", "ắ": "¾", "ặ": "Æ",
    "ầ": "Ç", "ẩ": "È", "ẫ": "É", "ấ": "Ê", "ậ": "Ë",
    "è": "Ì", "ẻ": "Î", "ẽ": "Ï", "é": "Ð", "ẹ": "Ñ",
    "ề": "Ò", "ể": "Ó", "ễ": "Ô", "ế": "Õ", "ệ": "Ö",
    "ì": "×", "ỉ": "Ø", "ĩ": "Ü", "í": "Ý", "ị": "Þ",
    "ò": "ß", "ỏ": "á", "õ": "â", "ó": "ã", "ọ": "ä",
    "ồ": "å", "ổ": "æ", "ỗ": "ç", "ố": "è", "ộ": "é",
    "ờ": "ê", "ở": "ë", "ỡ": "ì", "ớ": "í", "ợ": "î",
    "ù": "ï", "ủ": "ñ", "ũ": "ò", "ú": "ó", "ụ": "ô",
    "ừ": "õ", "ử": "ö", "ữ": "÷", "ứ": "ø", "ự": "ù",
    "ỳ": "ú", "ỷ": "û", "ỹ": "ü", "ý": "ý", "ỵ": "þ",
}  # fmt: skip
TCVN3_TO_UNICODE = {code: letter for letter, code in _TCVN3_LETTERS.items()}

# VNI writes a letter as its base letter followed by the marks' characters: "aù" is "á", "aá" is "ấ".
# The five tones (acute, grave, hook, tilde, dot below), and after â, ê, ô, and after ă.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT_TONES = {"á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE_TONES = {"é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_table() -> dict[str, str]:
    table = {}
    for lower in (str.lower, str.upper):
        for code, letter in _VNI_SINGLE.items():
            table[lower(code)] = lower(letter)
        for base in "aeouy":
            for code, mark in _VNI_TONES.items():
                table[lower(base + code)] = lower(unicodedata.normalize("NFC", base + mark))
        for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
            table[lower(base + "â")] = lower(hat)
            for code, mark in _VNI_HAT_TONES.items():
                table[lower(base + code)] = lower(unicodedata.normalize("NFC", hat + mark))
        table[lower("aê")] = lower("ă")
        for code, mark in _VNI_BREVE_TONES.items():
            table[lower("a" + code)] = lower(unicodedata.normalize("NFC", "ă" + mark))
        for base, letter in (("ô", "ơ"), ("ö", "ư")):
            for code, mark in _VNI_TONES.items():
                table[lower(base + code)] = lower(unicodedata.normalize("NFC", letter + mark))
    return table


VNI_TO_UNICODE = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))

# Letters of Unicode Vietnamese that are also Windows-1252 characters: alone they prove nothing.
_SHARED = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_UNICODE_ONLY = re.compile("[ăđơưĂĐƠƯĩĨũŨ\u1ea0-\u1ef9]")

# Onset, vowel group (longest first), final consonant.
_SYLLABLE = re.compile(
    "(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    "(iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu"
    "|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê"
    "|[aăâeêioôơuưy])"
    "(ch|nh|ng|[cmnpt])?"
)
_CONSONANTS = set("bcdđghklmnpqrstvx")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable: an onset, a vowel group, a final consonant, at most one tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONES for ch in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


def _tcvn3_word(word: str) -> str:
    converted = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in word)
    ascii_letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
    if len(ascii_letters) > 1 and all(ch.isupper() for ch in ascii_letters):
        return converted.upper()
    return converted


def _vni_word(word: str) -> str:
    return _VNI_PATTERN.sub(lambda match: VNI_TO_UNICODE[match.group()], word)


def _convert(text: str, codes: set[str], convert_word) -> str | None:
    """The text converted if it reads as this encoding: every word holding its codes converts to a
    syllable, and one with a Latin letter is proof (holding a code Unicode Vietnamese never uses, or
    no syllable as it stands) if it starts with a consonant or is not the only word converted
    ("50 µm" is no "50 àm")."""
    words = re.split(r"([\s,;:.()/\-\"']+)", text)
    converted, proofs = 0, []
    for index in range(0, len(words), 2):
        word = words[index]
        if codes.isdisjoint(word):
            continue
        words[index] = convert_word(word)
        if not is_syllable(words[index]):
            return None
        converted += 1
        if any(ch.isascii() and ch.isalpha() for ch in word) and (
            not _SHARED.issuperset(ch for ch in word if not ch.isascii()) or not is_syllable(word)
        ):
            proofs.append(words[index])
    if not any(converted > 1 or word[0].lower() in _CONSONANTS for word in proofs):
        return None
    return unicodedata.normalize("NFC", "".join(words))


_TCVN3_CODES = set(TCVN3_TO_UNICODE)
_VNI_CODES = {ch for code in VNI_TO_UNICODE for ch in code if not ch.isascii()}


def to_unicode(text: str, prefer: str | None = None) -> tuple[str, str | None]:
    """The text in Unicode NFC, and the legacy encoding it was converted from (None if it was not).
    A few words read as both ("Chuû hoä": "Chuỷ họ" in TCVN3, "Chủ hộ" in VNI): `prefer` (the
    encoding of the file's other cells) decides, else TCVN3, the national standard of those years."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii() or _UNICODE_ONLY.search(text):
        return text, None
    readings = {}
    for encoding, codes, convert_word in ((TCVN3, _TCVN3_CODES, _tcvn3_word), (VNI, _VNI_CODES, _vni_word)):
        converted = _convert(text, codes, convert_word)
        if converted is not None:
            readings[encoding] = converted
    if not readings:
        return text, None
    encoding = prefer if prefer in readings else next(iter(readings))
    return readings[encoding], encoding
