"""Tables (PDF, Word, spreadsheets, CSV) as text that keeps every cell with its headers.

A table flattened row by row ("技术合同成交额 122.78 15.2") loses what each number means: the
question "2024年1—8月技术合同成交额" then matches nothing, and the figures table cannot say what
was counted or for which period.  Here each cell becomes ``row header｜column header：value``
(``技术合同成交额｜2024年1—8月：122.78亿元``); the cells of one row form one line that ends a
sentence, so the chunker splits a long table between rows only, and every piece still names
the headers of each of its cells (the header "repeats" in every row by construction).

Merged header cells are expanded (a header spanning three columns names all three); stacked
header rows are joined (``2024年1—8月·同比增长``).  Which rows and columns are headers is
decided from the grid itself: leading rows in which no cell holds a number are column headers;
the leading column(s) of text are row headers (a 序号 column of running numbers is skipped).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Table", "TableSpan", "annotate_table_chunks", "grid_from_rows", "mask_tables", "read_csv", "read_xls", "read_xlsx", "render", "table_figures"]

_NUMBER_RE = re.compile(r"^[-+−]?\d[\d,，]*(\.\d+)?\s*(%|‰|[^\d\s]{0,4})$")
_VALUE_RE = re.compile(r"([-+−]?\d[\d,，]*(?:\.\d+)?)\s*(.*)$")
_UNIT_IN_HEADER_RE = re.compile(r"[（(]\s*([^()（）]{1,6})\s*[)）]\s*$")
_PERIOD_RE = re.compile(
    r"(\d{4}\s*年?(\s*(\d{1,2}\s*[—–\-~～至到]\s*)?\d{1,2}\s*月)?|\d{1,2}\s*[—–\-~～至到]\s*\d{1,2}\s*月|[上下]半年|[一二三四1-4]\s*季度|全年|年度|同比|去年|上年|本年|今年)"
)


@dataclass(frozen=True)
class Table:
    """A rectangular grid of cell texts (merged cells already expanded) and its header layout."""

    grid: list[list[str]]
    header_rows: int
    header_cols: int
    caption: str = ""  # sheet name, file name or a title line before the table

    def column_header(self, c: int) -> str:
        parts: list[str] = []
        for r in range(self.header_rows):
            v = self.grid[r][c]
            if v and (not parts or parts[-1] != v):
                parts.append(v)
        return "·".join(parts)

    def row_header(self, r: int) -> str:
        parts: list[str] = []
        for c in range(self.header_cols):
            v = self.grid[r][c]
            if v and (not parts or parts[-1] != v):
                parts.append(v)
        return "·".join(parts)

    def cells(self) -> list[tuple[str, str, str]]:
        """(row header, column header, value) of every non-empty body cell, row by row."""
        out = []
        for r in range(self.header_rows, len(self.grid)):
            rh = self.row_header(r)
            for c in range(self.header_cols, len(self.grid[r])):
                v = self.grid[r][c]
                if v:
                    out.append((rh, self.column_header(c), v))
        return out


@dataclass(frozen=True)
class TableSpan:
    """Characters ``[start, end)`` of the document text are the rendering of ``table``."""

    start: int
    end: int
    table: Table = field(compare=False)


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _is_number(text: str) -> bool:
    """A quantity ("122.78亿元", "15.2%", "35"), not a period heading ("2023年", "2024年1—8月")."""
    if not text:
        return False
    norm = unicodedata.normalize("NFKC", text).replace(" ", "")
    return bool(_NUMBER_RE.match(norm)) and not _PERIOD_RE.fullmatch(norm)


def _is_serial(column: Sequence[str]) -> bool:
    """A 序号 column: the body cells are 1, 2, 3, ..."""
    values = [v for v in column if v]
    return len(values) >= 2 and all(v.isdigit() for v in values) and [int(v) for v in values] == list(
        range(int(values[0]), int(values[0]) + len(values))
    )


def grid_from_rows(rows: Sequence[Sequence[object]], caption: str = "", max_header_rows: int = 3) -> Table | None:
    """A :class:`Table` from rows of cells (``None``/"" for empty), or None when nothing is in it.

    ``None`` cells right of or below a non-empty header cell are how pdfplumber reports a merged
    cell; in header rows they are filled from the left (then from above), which expands the merge.
    """
    grid = [[_clean(v) for v in row] for row in rows]
    grid = [row for row in grid if any(row)]
    if not grid:
        return None
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    # drop columns that are empty everywhere
    keep = [c for c in range(width) if any(r[c] for r in grid)]
    grid = [[r[c] for c in keep] for r in grid]
    width = len(keep)
    # header rows: leading rows with no number outside the first column, while a body row follows
    header_rows = 0
    for r in range(min(max_header_rows, len(grid) - 1)):
        if any(_is_number(v) for v in grid[r][1:]):
            break
        if r > 0 and _is_serial([row[0] for row in grid[r:]]):
            break  # 1, 2, 3 … in the first column from here on: the body (a table of text rows under 序号)
        header_rows += 1
    if header_rows == 0 and len(grid) > 1:
        header_rows = 1  # a table of numbers only still has its first row as header
    for r in range(header_rows):  # expand merged header cells across, then down
        for c in range(1, width):
            if not grid[r][c] and grid[r][c - 1] and (r == 0 or grid[r - 1][c] == grid[r - 1][c - 1]):
                grid[r][c] = grid[r][c - 1]
    for r in range(1, header_rows):
        for c in range(width):
            if not grid[r][c]:
                grid[r][c] = grid[r - 1][c]
    header_cols = 1 if width > 1 else 0
    if width > 2 and _is_serial([row[0] for row in grid[header_rows:]]):
        header_cols = 2
    # a vertically merged row header (None below it) names the rows under it
    for c in range(header_cols):
        for r in range(header_rows + 1, len(grid)):
            if not grid[r][c] and any(grid[r][header_cols:]):
                grid[r][c] = grid[r - 1][c]
    return Table(grid, header_rows, header_cols, caption)


def render(table: Table) -> str:
    """One line per body row: ``row｜column：value`` for each cell, joined by "；", ending in "。"."""
    lines = []
    if table.caption:
        lines.append(table.caption)
    for r in range(table.header_rows, len(table.grid)):
        rh = table.row_header(r)
        parts = []
        for c in range(table.header_cols, len(table.grid[r])):
            v = table.grid[r][c]
            if not v:
                continue
            ch = table.column_header(c)
            label = "｜".join(x for x in (rh, ch) if x)
            parts.append(f"{label}：{v}" if label else v)
        if parts:
            lines.append("；".join(parts) + "。")
        elif rh:
            lines.append(rh)
    return "\n".join(lines)


# --------------------------------------------------------------------------
# spreadsheet and CSV readers: each returns the tables of the file


def read_csv(text: str, caption: str, max_cells: int = 200_000) -> list[Table]:
    """The table of a CSV file (delimiter sniffed: comma, tab, semicolon, bar, full-width comma)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    cells = 0
    for row in csv.reader(io.StringIO(text), dialect):
        cells += len(row)
        if cells > max_cells:
            raise ValueError(f"the CSV file has more than {max_cells} cells")
        rows.append(row)
    table = grid_from_rows(rows, caption)
    return [table] if table else []


def read_xlsx(data: bytes, max_cells: int) -> list[Table]:
    """Every sheet of an .xlsx; formula cells give their cached value (never evaluated)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    tables: list[Table] = []
    cells = 0
    try:
        for sheet in book.worksheets:
            if sheet.max_row * sheet.max_column > max_cells:
                raise ValueError(f"sheet {sheet.title!r} has {sheet.max_row}×{sheet.max_column} cells (limit {max_cells})")
            cells += sheet.max_row * sheet.max_column
            if cells > max_cells:
                raise ValueError(f"the workbook has more than {max_cells} cells")
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            for rng in sheet.merged_cells.ranges:  # expand merges: every covered cell gets the value
                value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else None
                for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                    for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                        rows[r][c] = value
            table = grid_from_rows(rows, sheet.title)
            if table:
                tables.append(table)
    finally:
        book.close()
    return tables


def read_xls(data: bytes, max_cells: int) -> list[Table]:
    """Every sheet of a legacy .xls (xlrd), merged ranges expanded."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    tables: list[Table] = []
    try:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            if sheet.nrows * sheet.ncols > max_cells:
                raise ValueError(f"sheet {sheet.name!r} has {sheet.nrows}×{sheet.ncols} cells (limit {max_cells})")
            rows: list[list[object]] = [sheet.row_values(r) for r in range(sheet.nrows)]
            for r0, r1, c0, c1 in sheet.merged_cells:
                value = rows[r0][c0]
                for r in range(r0, r1):
                    for c in range(c0, c1):
                        rows[r][c] = value
            table = grid_from_rows(rows, sheet.name)
            if table:
                tables.append(table)
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return tables


# --------------------------------------------------------------------------
# figures: every numeric cell with its headers as metric, period and place


def table_figures(table: Table, doc_id: str, date: str | None, city: str | None = None) -> list:
    """Figures (ingest.figures.Figure) of a table's numeric cells.

    Of the cell's headers, one naming a period (a year, months, 上半年, 同比) is the period, one
    that jieba tags as a place name is the place, and the rest is the metric. A unit in a header
    ("成交额（亿元）") is the unit of a bare number.
    """
    from ingest.figures import Figure

    figs = []
    for rh, ch, value in table.cells():
        norm = unicodedata.normalize("NFKC", value)
        m = _VALUE_RE.match(norm)
        if not m or not _is_number(value):
            continue
        number_text, unit = m.group(1), m.group(2).strip()
        try:
            number = float(number_text.replace(",", "").replace("，", "").replace("−", "-"))
        except ValueError:
            continue
        headers = [h for part in (rh, ch) for h in part.split("·") if h]
        period = place = None
        metric_parts = []
        for h in headers:
            hn = unicodedata.normalize("NFKC", h)
            if period is None and _PERIOD_RE.fullmatch(hn.replace(" ", "")):
                period = h
            elif place is None and _is_place(hn):
                place = h
            else:
                metric_parts.append(h)
        # all headers were period/place (a sheet of counts per county and year): the sheet's name says
        # what is counted, else the corner cell above the row headers
        corner = table.grid[0][0] if table.header_rows and table.header_cols else ""
        metric = "·".join(metric_parts) or table.caption or corner
        um = _UNIT_IN_HEADER_RE.search(metric)
        if um:
            if not unit:
                unit = um.group(1)
            metric = metric[: um.start()].strip()
        sentence = f"{'｜'.join(x for x in (rh, ch) if x)}：{value}"
        figs.append(Figure(metric, number_text + unit, number, unit, False, period, place, sentence, doc_id, date))
    return figs


def _is_place(text: str) -> bool:
    """A header that is only a place name (jieba's ns tag), e.g. 昆明市, 五华区."""
    if len(text) > 12:
        return False
    from ingest.figures import _posseg

    words = [(w, f) for w, f in _posseg().lcut(text) if w.strip()]
    return bool(words) and all(f == "ns" for _, f in words)


# --------------------------------------------------------------------------
# hooks for the pipeline: chunk metadata and the figures of the running text


def annotate_table_chunks(chunks: Sequence[object], tables: Sequence[TableSpan]) -> None:
    """``meta["table"] = True`` on chunks that hold (part of) a rendered table."""
    for chunk in chunks:
        start = int(getattr(chunk, "start"))
        end = start + len(getattr(chunk, "text"))
        if any(t.start < end and t.end > start for t in tables):
            getattr(chunk, "meta")["table"] = True


def mask_tables(text: str, tables: Sequence[TableSpan]) -> str:
    """``text`` with the rendered tables blanked out (same length), so the sentence rules of
    ingest.figures do not read the rendered cells a second time."""
    if not tables:
        return text
    chars = list(text)
    for t in tables:
        for i in range(t.start, min(t.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
