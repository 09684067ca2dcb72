"""Bringing households with their members, and a year's review results, in from Excel or CSV.

- `columns`: the columns of each import (the exports write the same ones), choices, the templates;
- `reading`: the report and what both importers share (core.spreadsheets reads and parses the cells);
- `household_importer` and `review_importer`: one pass over a file, for the dry run and the import;
- `steps`: the dry run, the file kept between the two steps, the import in one transaction.

Rules are the pages' rules (the models' `clean()`, `poverty.classify`, `HouseholdReview.apply`), and
writes go through `services.bulk_save` only, which keeps the change history.
"""
