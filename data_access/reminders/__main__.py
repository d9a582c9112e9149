"""python -m data_access.reminders: see data_access/reminders/__init__.py."""

import sys

from data_access.reminders.run import main

sys.exit(main())
