#!/usr/bin/env python3
"""xlsx_read.py - an Excel reader independent of angka (zipfile + XML only).

Usage:
  xlsx_read.py dump BOOK.xlsx [SHEET]    every cell as ROW,COL,TYPE,VALUE
                                           (TYPE n number, s text)
  xlsx_read.py sheets BOOK.xlsx          the sheet names, one a line
  xlsx_read.py compare BOOK.xlsx TABLE.csv
        the first sheet holds the CSV's table: one header row, the same
        columns and rows; a cell the CSV holds as a number is a number
        within 1e-15 relative (libxlsxwriter writes 16 significant digits)
        unless its column is an identifier column, which holds text equal
        to the CSV's; every other cell is the CSV's text. Prints
        "N rows, N numbers, N texts" or the first difference (exit 1).
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
ID_WORDS = {"nik", "kk", "nkk", "kode", "kd", "id", "cluster", "region",
            "wilayah", "rt", "rw", "iddtks", "idartbdt"}
NUM = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1, int(ref[len(letters):]) - 1


def sheets(z):
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
    out = []
    for s in wb.find("m:sheets", NS).findall("m:sheet", NS):
        t = target[s.get("{%s}id" % NS["r"])]
        out.append((s.get("name"), "xl/" + t.lstrip("/").replace("xl/", "", 1)))
    return out


def cells(path, sheet=None):
    """{(row, col): ('n', float) | ('s', str)} of one sheet."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in sst.findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    names = sheets(z)
    part = names[0][1] if sheet is None else dict(names)[sheet]
    root = ET.fromstring(z.read(part))
    out = {}
    for c in root.iter("{%s}c" % NS["m"]):
        col, row = col_index(c.get("r"))
        t = c.get("t")
        v = c.find("m:v", NS)
        if t == "s":
            out[(row, col)] = ("s", shared[int(v.text)])
        elif t == "inlineStr":
            out[(row, col)] = ("s", "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"])))
        elif t == "str":
            out[(row, col)] = ("s", v.text or "")
        elif v is not None:
            out[(row, col)] = ("n", float(v.text))
    return out


def is_id(name):
    return any(w.lower() in ID_WORDS for w in re.split(r"[_ ]", name))


def compare(book, table):
    got = cells(book)
    with open(table, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    nnum = ntext = 0
    for r, row in enumerate(rows):
        for c, val in enumerate(row):
            cell = got.pop((r, c), None)
            where = "%s row %d column %s" % (book, r + 1, header[c] if c < len(header) else c + 1)
            if val == "":
                if cell is not None:
                    return "%s: %r, the CSV is empty" % (where, cell)
                continue
            num = (r > 0 and not is_id(header[c]) and NUM.match(val)
                   and not (re.fullmatch(r"-?[0-9]+", val) and len(val.lstrip("-")) > 15))
            if num:
                want = float(val)
                if cell is None or cell[0] != "n" or abs(cell[1] - want) > 1e-15 * abs(want):
                    return "%s: %r, the CSV has the number %s" % (where, cell, val)
                nnum += 1
            else:
                if cell != ("s", val):
                    return "%s: %r, the CSV has the text %r" % (where, cell, val)
                ntext += 1
    if got:
        return "%s: cells the CSV does not have: %s" % (book, sorted(got)[:3])
    print("%d rows, %d numbers, %d texts" % (len(rows), nnum, ntext))
    return None


def main(argv):
    if len(argv) >= 3 and argv[1] == "dump":
        got = cells(argv[2], argv[3] if len(argv) > 3 else None)
        for (r, c), (t, v) in sorted(got.items()):
            print("%d,%d,%s,%s" % (r + 1, c + 1, t, repr(v) if t == "n" else v))
        return 0
    if len(argv) == 3 and argv[1] == "sheets":
        for name, _ in sheets(zipfile.ZipFile(argv[2])):
            print(name)
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        err = compare(argv[2], argv[3])
        if err:
            print(err, file=sys.stderr)
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
