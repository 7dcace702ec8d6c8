# The newsroom's English: day, month in words, year; a 24-hour clock.
DATE_FORMAT = "j F Y"  # 1 December 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y, H:i"  # 1 December 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 1 December
# For columns and lists, where the long month does not fit.
SHORT_DATE_FORMAT = "j M Y"  # 1 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 1 Dec 2026, 14:05
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first: it is what date inputs render and native pickers send; then the
# British day/month order, never the American month/day.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
