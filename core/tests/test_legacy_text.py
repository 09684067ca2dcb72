"""Vietnamese typed in TCVN3 (ABC) or VNI comes back as Unicode NFC; Unicode and English stay as typed."""

import unicodedata

from core.legacy_text import _TCVN3_LETTERS, TCVN3, VNI, VNI_TO_UNICODE, is_syllable, to_unicode
from core.text import fold, one_line

TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
VOWELS = [unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in TONES]
UNICODE_TO_VNI = {letter: code for code, letter in VNI_TO_UNICODE.items()}


def tcvn3(text: str) -> str:
    return "".join(_TCVN3_LETTERS.get(ch, ch) for ch in text)


def vni(text: str) -> str:
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in text)


def test_every_vietnamese_letter_with_every_tone_comes_back_from_tcvn3_and_vni_in_both_cases():
    assert len(VOWELS) == 72
    for vowel in VOWELS:
        word = f"th{vowel}n"  # a syllable: onset, vowel, final consonant
        for typed in (word, word.upper(), "đa", "ĐA"):
            assert to_unicode(vni(f"Nguyễn {typed}")) == (f"Nguyễn {typed}", VNI), typed
        assert to_unicode(tcvn3(f"Nguyễn {word} đa")) == (f"Nguyễn {word} đa", TCVN3), word
        # TCVN3 has no capitals with tone marks: .VnTimeH shows the small letters' codes as capitals.
        capitals = "".join(ch.upper() if ch.isascii() else ch for ch in tcvn3(word))
        assert to_unicode(f"§INH {capitals}") == (f"ĐINH {word.upper()}", TCVN3), word


def test_names_and_places_as_communes_typed_them():
    cases = [
        ("NguyÔn V¨n An", "Nguyễn Văn An", TCVN3),
        ("M\xadêng Kh\xad¬ng", "Mường Khương", TCVN3),
        ("Nhµ v¨n hãa th«n 3A", "Nhà văn hóa thôn 3A", TCVN3),
        ("TRÇN THÞ HOA", "TRẦN THỊ HOA", TCVN3),
        ("§inh ThÞ Lª", "Đinh Thị Lê", TCVN3),
        ("Nguyeãn Vaên Nam", "Nguyễn Văn Nam", VNI),
        ("Ñaøo Thò Lan, thoân Laøng Môùi", "Đào Thị Lan, thôn Làng Mới", VNI),
        ("NGUYEÃN VAÊN AÙNH", "NGUYỄN VĂN ÁNH", VNI),
    ]
    for typed, unicode, encoding in cases:
        assert to_unicode(typed) == (unicode, encoding), typed


def test_unicode_vietnamese_and_english_text_are_never_converted():
    untouched = [
        "Mường Hoong", "Đắk Choong", "Lò Mí", "Hoàng Văn Tô", "LÊ TÔ", "Y Nhung", "hoà bình", "Thuỷ",
        "Tô Thị Hồng", "Làng Mới", "Xơ Đăng", "Nông nghiệp", "05/02/2015", "Vợ/chồng", "Hộ nghèo",
        " ".join(VOWELS), "Hello world", "Copyright © 2020", "«Quoted»", "café", "Müller", "Peña",
        "naïve façade", "3 × 4 = 12", "50 µm", "½ ha", "José Ñúñez", "Ø 20 mm", "Smørrebrød", "",
    ]  # fmt: skip
    for text in untouched:
        assert to_unicode(text) == (text, None), text


def test_decomposed_text_is_stored_composed_and_folds_the_same():
    decomposed = unicodedata.normalize("NFD", "Mường Hoong")
    assert decomposed != "Mường Hoong"
    assert to_unicode(decomposed) == ("Mường Hoong", None)
    assert one_line(f"  {decomposed}\n ") == "Mường Hoong"
    assert fold(decomposed) == fold("Mường Hoong") == "muong hoong"


def test_syllables():
    for word in ["người", "nguyễn", "khương", "quý", "giữa", "thuở", "ngoằn", "a", "ở", "TRẦN"]:
        assert is_syllable(word), word
    for word in ["hello", "peđa", "cafộ", "aê", "xyz", "ba̋"]:
        assert not is_syllable(word), word
