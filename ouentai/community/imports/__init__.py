"""Company files for import: reading them within bounds (``files``) and checking each row (``rows``)."""

from ouentai.community.imports.files import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    FileFacts,
    FileLimitError,
    RowRead,
    data_rows,
    inspect_upload,
    is_xlsx,
    read_rows,
    xlsx_to_csv,
)
from ouentai.community.imports.rows import (
    REQUIRED,
    TARGETS,
    CheckedRow,
    check_row,
    column_name,
    guess_mapping,
)

__all__ = [
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "REQUIRED",
    "TARGETS",
    "CheckedRow",
    "FileFacts",
    "FileLimitError",
    "RowRead",
    "check_row",
    "column_name",
    "data_rows",
    "guess_mapping",
    "inspect_upload",
    "is_xlsx",
    "read_rows",
    "xlsx_to_csv",
]
