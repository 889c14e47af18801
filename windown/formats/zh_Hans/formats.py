"""Number formats for Simplified Chinese: group thousands as Chinese finance teams write them.

Django's own zh_Hans formats set no grouping, so `intcomma` printed 3231228.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
