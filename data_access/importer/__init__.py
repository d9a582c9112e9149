"""Import of the spreadsheets programme offices have (CSV, Excel's text exports, .xlsx): aios,
stageplaatsen, begeleiders, stages, stageplaats ratings and historic rubric scores.

    python -m data_access.importer FILE --kind stages --gebruiker BEHEERDER [--dry-run] [--db-url URL]

- reading.py: bytes → a frame of strings with the spreadsheet's row numbers (encodings,
  separators, header row, ragged rows, size limits).
- plan.py: the Plan (per row nieuw / bijgewerkt with old → new / ongewijzigd, problems by row
  and column, ignored columns) and Row, the checked accessors.
- kinds/: one module per kind with its columns and rules; run.py: dry run and import (beheerder
  only, all or nothing, one audit row); templates.py; __main__.py: the command line.
"""

from data_access.importer.kinds import KINDS
from data_access.importer.plan import CREATE, EXISTS, SAME, UPDATE, Change, Plan, Problem
from data_access.importer.reading import Limits, UnreadableFile, read_table
from data_access.importer.run import plan_import, run_import
from data_access.importer.templates import template, template_file

__all__ = ["CREATE", "EXISTS", "KINDS", "SAME", "UPDATE", "Change", "Limits", "Plan", "Problem", "UnreadableFile",
           "plan_import", "read_table", "run_import", "template", "template_file"]
