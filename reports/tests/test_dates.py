from datetime import date

from reports.dates import date_numeric, date_quoted, date_words


def test_an_approval_stamp_writes_the_day_in_guillemets_and_the_month_in_the_genitive():
    assert date_quoted(date(2021, 2, 24)) == "«24» февраля 2021 г."


def test_a_single_digit_day_is_written_with_a_leading_zero_in_the_stamp():
    assert date_quoted(date(2026, 5, 1)) == "«01» мая 2026 г."


def test_an_order_heading_writes_the_date_in_words():
    assert date_words(date(2021, 2, 24)) == "24 февраля 2021 года"
    assert date_words(date(2026, 12, 3)) == "3 декабря 2026 года"


def test_numeric_dates_are_day_month_year():
    assert date_numeric(date(2026, 3, 8)) == "08.03.2026"


def test_the_place_of_issue_is_the_settlement_of_the_address():
    from reports.content import place_from_address

    assert place_from_address("368390, Республика Дагестан, Кулинский район, с. Хосрех") == "с. Хосрех"
    assert place_from_address("663060, Красноярский край, пгт. Большая Мурта, ул. Ленина, 5") == "пгт. Большая Мурта"
    assert place_from_address("") == ""
