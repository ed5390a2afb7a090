"""Proleptic Gregorian calendar arithmetic on plain integers.

The functions accept any year (including 0 and negative years) so that offset normalisation
near the ends of the CQL range can still be compared; range checks belong to the callers.
Day numbers count days since 1970-01-01 (day 0), the civil-date algorithm being the
era-based one (400-year cycles of 146097 days).
"""

from __future__ import annotations

MS_PER_SECOND = 1_000
MS_PER_MINUTE = 60_000
MS_PER_HOUR = 3_600_000
MS_PER_DAY = 86_400_000

_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_PER_ERA = 146_097
# Day number of 0000-03-01, the start of the era-based count.
_ERA_SHIFT = 719_468


def is_leap(year: int) -> bool:
    """Gregorian leap year rule.

    >>> is_leap(2024), is_leap(1900), is_leap(2000)
    (True, False, True)
    """
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days in a month.

    >>> days_in_month(2024, 2), days_in_month(2023, 2), days_in_month(2023, 4)
    (29, 28, 30)
    """
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_LENGTHS[month - 1]


def days_from_civil(year: int, month: int, day: int) -> int:
    """Day number of a calendar date (1970-01-01 is 0).

    >>> days_from_civil(1970, 1, 1), days_from_civil(2000, 3, 1)
    (0, 11017)
    """
    # Counting years from March puts the leap day at the end of the counted year.
    shifted_year = year - 1 if month <= 2 else year
    era = shifted_year // 400
    year_of_era = shifted_year - era * 400
    month_from_march = (month + 9) % 12
    day_of_year = (153 * month_from_march + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * _DAYS_PER_ERA + day_of_era - _ERA_SHIFT


def civil_from_days(days: int) -> tuple[int, int, int]:
    """Calendar date (year, month, day) of a day number; inverse of `days_from_civil`.

    >>> civil_from_days(0), civil_from_days(11017), civil_from_days(-1)
    ((1970, 1, 1), (2000, 3, 1), (1969, 12, 31))
    """
    shifted = days + _ERA_SHIFT
    era = shifted // _DAYS_PER_ERA
    day_of_era = shifted - era * _DAYS_PER_ERA
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_from_march = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_from_march + 2) // 5 + 1
    month = month_from_march + 3 if month_from_march < 10 else month_from_march - 9
    year = year_of_era + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


def weekday_from_sunday(days: int) -> int:
    """Day of the week of a day number, Sunday = 0 (CQL weeks start on Sunday).

    >>> weekday_from_sunday(0)  # 1970-01-01 was a Thursday
    4
    """
    return (days + 4) % 7
