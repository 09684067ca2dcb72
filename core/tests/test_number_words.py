import pytest

from core.number_words import dong_in_words, number_in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1_000, "một nghìn"),
        (1_001, "một nghìn không trăm linh một"),
        (1_015, "một nghìn không trăm mười lăm"),
        (1_050, "một nghìn không trăm năm mươi"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (105_000, "một trăm linh năm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_050_000, "một triệu không trăm năm mươi nghìn"),
        (1_500_000, "một triệu năm trăm nghìn"),
        (2_250_000, "hai triệu hai trăm năm mươi nghìn"),
        (220_000_000, "hai trăm hai mươi triệu"),
        (221_000_000, "hai trăm hai mươi mốt triệu"),
        (441_000_000, "bốn trăm bốn mươi mốt triệu"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_001, "một tỷ không trăm linh một"),
        (2_000_500_000, "hai tỷ năm trăm nghìn"),
        (2_000_050_000, "hai tỷ không trăm năm mươi nghìn"),
        (
            12_345_678_901,
            "mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh một",
        ),
        (1_000_000_000_000, "một nghìn tỷ"),
        (1_234_000_000_000, "một nghìn hai trăm ba mươi bốn tỷ"),
        (
            999_999_999_999_999,
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín "
            "triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        ),
        (-5, "âm năm"),
    ],
)
def test_numbers_in_vietnamese_words(number, words):
    assert number_in_words(number) == words


def test_lẻ_instead_of_linh_when_asked():
    assert number_in_words(1_005, zero_tens="lẻ") == "một nghìn không trăm lẻ năm"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (441_000_000, "Bốn trăm bốn mươi mốt triệu đồng"),
        (221_000_000, "Hai trăm hai mươi mốt triệu đồng"),
        (0, "Không đồng"),
    ],
)
def test_amounts_in_words_as_documents_write_them(amount, words):
    assert dong_in_words(amount) == words


def test_amounts_in_words_refuse_fractions():
    with pytest.raises(ValueError):
        dong_in_words(10.5)
