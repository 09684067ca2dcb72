"""Amounts in Vietnamese words, as administrative documents write them:
441.000.000 → "Bốn trăm bốn mươi mốt triệu đồng"."""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]  # then "tỷ", and the count of tỷ is itself read in words
BILLION = 10**9


def _below_thousand(n: int, *, full: bool, zero_tens: str) -> list[str]:
    """Words of 0 < n < 1000; `full` reads the hundreds even when zero (a group after another)."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and words:
            words.append(zero_tens)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if ones:
        if ones == 1 and tens >= 2:
            words.append("mốt")
        elif ones == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[ones])
    return words


def _below_billion(n: int, *, leading: bool, zero_tens: str) -> list[str]:
    groups = [n // 10**6, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for value, name in zip(groups, reversed(GROUPS), strict=True):
        if value:
            words += _below_thousand(value, full=bool(words) or not leading, zero_tens=zero_tens)
            if name:
                words.append(name)
    return words


def _words(n: int, *, leading: bool, zero_tens: str) -> list[str]:
    if n < BILLION:
        return _below_billion(n, leading=leading, zero_tens=zero_tens)
    billions, rest = divmod(n, BILLION)
    words = _words(billions, leading=leading, zero_tens=zero_tens) + ["tỷ"]
    if rest:
        words += _below_billion(rest, leading=False, zero_tens=zero_tens)
    return words


def number_in_words(n: int, *, zero_tens: str = "linh") -> str:
    """A whole number in Vietnamese words, lower case. `zero_tens` is "linh" (default) or "lẻ"."""
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_in_words(-n, zero_tens=zero_tens)
    return " ".join(_words(n, leading=True, zero_tens=zero_tens))


def dong_in_words(amount: int) -> str:
    """441000000 → "Bốn trăm bốn mươi mốt triệu đồng"."""
    if isinstance(amount, float) or int(amount) != amount:
        raise ValueError(f"Money is whole đồng, got {amount!r}")
    words = number_in_words(int(amount))
    return f"{words[0].upper()}{words[1:]} đồng"
