"""The newsroom's own date formats (FORMAT_MODULE_PATH), one British style everywhere.

Django's "en" formats are American ("Dec. 1, 2026, 2:05 p.m."); the admin's lists,
read-only fields and filters use these instead: "1 December 2026, 14:05". Templates
name them (`|date:"DATETIME_FORMAT"`) rather than spelling a format out.
"""
