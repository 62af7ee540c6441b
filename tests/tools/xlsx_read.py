#!/usr/bin/env python3
"""xlsx_read.py - an Excel reader independent of angka (zipfile + XML only).

Usage:
  xlsx_read.py dump BOOK.xlsx [SHEET]    every cell as ROW,COL,TYPE,VALUE
                                           (TYPE n number, s text)
  xlsx_read.py sheets BOOK.xlsx          the sheet names, one a line
  xlsx_read.py check BOOK.xlsx           the package as Excel needs it
        (ECMA-376 Part 2): every part well-formed XML with a content type
        ([Content_Types].xml, Default or Override), every relationship's
        target present, the workbook, its styles and sheets of the right
        types, cells of each sheet in order (rows and columns increasing),
        every s= a cellXfs entry. Prints the part names or the first fault.
  xlsx_read.py digits17 BOOK.xlsx        how many number cells need 17
        significant digits to give back their double
  xlsx_read.py compare BOOK.xlsx TABLE.csv
        the first sheet holds the CSV's table: one header row, the same
        columns and rows; a cell the CSV holds as a number is a number
        equal to it as a double (float() of both texts: a value needing
        17 significant digits must keep all of them) unless its column is
        an identifier column, which holds text equal to the CSV's, or
        outside Excel's range (subnormal, above 9.99999999999999E+307);
        every other cell is the CSV's text. Prints
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
                   and not (re.fullmatch(r"-?[0-9]+", val) and len(val.lstrip("-")) > 15)
                   and (float(val) == 0 or 2.2250738585072014e-308 <= abs(float(val)) <= 9.99999999999999e307))
            if num:
                want = float(val)
                if cell is None or cell[0] != "n" or cell[1] != want:
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


CT = "http://schemas.openxmlformats.org/package/2006/content-types"
T_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml."


def check(book):
    z = zipfile.ZipFile(book)
    names = z.namelist()
    if z.testzip() is not None:
        return "%s: bad CRC in %s" % (book, z.testzip())
    docs = {}
    for n in names:
        try:
            docs[n] = ET.fromstring(z.read(n))
        except ET.ParseError as err:
            return "%s: %s is not well-formed XML: %s" % (book, n, err)
    types = docs.get("[Content_Types].xml")
    if types is None:
        return "%s: no [Content_Types].xml" % book
    default = {d.get("Extension").lower(): d.get("ContentType")
               for d in types.findall("{%s}Default" % CT)}
    override = {o.get("PartName"): o.get("ContentType")
                for o in types.findall("{%s}Override" % CT)}

    def ctype(n):
        return override.get("/" + n, default.get(n.rsplit(".", 1)[-1].lower()))

    for n in names:
        if n != "[Content_Types].xml" and ctype(n) is None:
            return "%s: %s has no content type" % (book, n)
    for o in override:
        if o.lstrip("/") not in names:
            return "%s: content type for the missing part %s" % (book, o)

    def rels(owner):
        d = owner.rsplit("/", 1)[0] + "/" if "/" in owner else ""
        rp = d + "_rels/" + owner.rsplit("/", 1)[-1] + ".rels"
        out = {}
        for r in docs[rp].findall("p:Relationship", NS) if rp in docs else []:
            t = r.get("Target")
            t = t.lstrip("/") if t.startswith("/") else d + t
            if t not in names:
                return None, "%s: %s points at the missing part %s" % (book, rp, t)
            out[r.get("Id")] = (r.get("Type"), t)
        return out, None

    top, err = rels("")
    if err:
        return err
    wbs = [t for ty, t in top.values() if ty == T_OFFICE + "officeDocument"]
    if len(wbs) != 1 or ctype(wbs[0]) != CT_MAIN + "sheet.main+xml":
        return "%s: no workbook (officeDocument) part" % book
    wr, err = rels(wbs[0])
    if err:
        return err
    styles = [t for ty, t in wr.values() if ty == T_OFFICE + "styles"]
    if len(styles) != 1 or ctype(styles[0]) != CT_MAIN + "styles+xml":
        return "%s: no styles part" % book
    nxf = len(docs[styles[0]].find("m:cellXfs", NS).findall("m:xf", NS))
    sheets_ = docs[wbs[0]].find("m:sheets", NS).findall("m:sheet", NS)
    if not sheets_:
        return "%s: a workbook without sheets" % book
    for sh in sheets_:
        ty, t = wr[sh.get("{%s}id" % NS["r"])]
        if ty != T_OFFICE + "worksheet" or ctype(t) != CT_MAIN + "worksheet+xml":
            return "%s: sheet %s is no worksheet part" % (book, sh.get("name"))
        last = (0, -1)
        for row in docs[t].find("m:sheetData", NS).findall("m:row", NS):
            r = int(row.get("r"))
            if r <= last[0]:
                return "%s: %s: row %d out of order" % (book, t, r)
            last = (r, -1)
            for c in row.findall("m:c", NS):
                col, cr = col_index(c.get("r"))
                if cr + 1 != r or col <= last[1]:
                    return "%s: %s: cell %s out of order" % (book, t, c.get("r"))
                last = (r, col)
                if int(c.get("s", "0")) >= nxf:
                    return "%s: %s: cell %s has no format %s" % (book, t, c.get("r"), c.get("s"))
    for n in names:
        print(n)
    return None


def digits17(book):
    n = 0
    for t, v in cells(book).values():
        if t == "n":
            m = repr(v).lstrip("-").split("e")[0].replace(".", "").strip("0")
            n += len(m) >= 17
    return n


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
    if len(argv) == 3 and argv[1] == "check":
        err = check(argv[2])
        if err:
            print(err, file=sys.stderr)
            return 1
        return 0
    if len(argv) == 3 and argv[1] == "digits17":
        print(digits17(argv[2]))
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
