#!/usr/bin/env python3
"""check_report.py OUT LANG - the report files of a published run, checked
against the run's own CSVs with readers independent of angka:

- ringkasan.html is well-formed (html.parser: every element closed in
  order, void elements aside), in LANG (id|en), self-contained (no src=,
  href= or url() to another file), holds one inline <svg> per chart in
  charts/*.svg, the headline P0 of the newest year as trend/history.csv
  has it (2 decimals in LANG's number format), and the counts of
  private/duplicates.csv and private/programme_violations.csv;
- tabel/kemiskinan.xlsx: every number of each indicator's sheet is the
  history's computed estimate (the same double) for its region (column A)
  and year (header row 4),
  every computed region and year is there, and its flag format follows the
  reliability (* caution, ** unreliable); region names, not codes, in B;
- private/review.xlsx and private/programme_violations.xlsx hold their
  CSVs (xlsx_read.compare); private/duplicates.xlsx holds one row per
  duplicate with both records' NIK and No KK as text equal to the
  normalized DTKS rows the pair names; every workbook passes
  xlsx_read.check (content types, relationships, cells in order).
Prints one line per check; exit 1 at the first failure.
"""
import csv
import html.parser
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xlsx_read  # noqa: E402

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.svgs = 0
        self.lang = None
        self.text = []
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "svg":
            self.svgs += 1
        for k in ("src", "href"):
            if k in a and not (a[k] or "").startswith("#"):
                self.external.append("%s=%s" % (k, a[k]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href", "xlink:href"):
            if k in a and not (a[k] or "").startswith("#"):
                self.external.append("%s=%s" % (k, a[k]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> at line %d, open: %s" %
                               (tag, self.getpos()[0], self.stack[-3:]))
            return
        self.stack.pop()

    def handle_data(self, data):
        if not self.stack or self.stack[-1] not in ("style", "script"):
            self.text.append(data)


def fail(msg):
    print("FAIL - " + msg)
    sys.exit(1)


def ok(msg):
    print("ok - " + msg)


def num(v, dec, lang):
    s = "{:,.{}f}".format(v, dec)
    if lang == "id":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main(out, lang):
    # ringkasan.html
    page = open(os.path.join(out, "ringkasan.html"), encoding="utf-8").read()
    c = Checker()
    c.feed(page)
    c.close()
    if c.errors or c.stack:
        fail("ringkasan.html not well-formed: %s %s" % (c.errors[:3], c.stack))
    if c.lang != lang:
        fail("ringkasan.html lang=%r, expected %r" % (c.lang, lang))
    if c.external or re.search(r"url\((?!#)", page):
        fail("ringkasan.html refers to other files: %s" % c.external[:3])
    charts = [f for f in os.listdir(os.path.join(out, "charts")) if f.endswith(".svg")]
    if c.svgs != len(charts) or not charts:
        fail("ringkasan.html has %d inline svg, charts/ has %d" % (c.svgs, len(charts)))
    ok("ringkasan.html well-formed, lang=%s, self-contained, %d charts inline" % (lang, c.svgs))
    text = " ".join("".join(c.text).split())
    hist = rows(os.path.join(out, "trend/history.csv"))
    p0 = [r for r in hist if r["domain"] == "total" and r["indikator"] == "P0"
          and r["sumber_data"] == "hitung"]
    newest = max(p0, key=lambda r: int(r["tahun"]))
    want = num(float(newest["estimate"]), 2, lang)
    if want not in text or newest["tahun"] not in text:
        fail("ringkasan.html lacks the headline P0 %s of %s" % (want, newest["tahun"]))
    word = {"reliable": ("dapat diandalkan", "reliable"),
            "caution": ("hati-hati", "caution"),
            "unreliable": ("tidak akurat", "not accurate")}[newest["reliability"]]
    if word[0 if lang == "id" else 1] not in text:
        fail("ringkasan.html does not say the reliability %s in words" % newest["reliability"])
    ok("headline P0 %s (%s) with its reliability in words" % (want, newest["tahun"]))
    # The notes under a published table (footer_note) are counted on
    # their own row, not among the quarantined rows: the table's rows of
    # the quarantine files (with the title rows before a header, if the
    # page lists them apart) add up to every row of the quarantine files.
    qrows = [r["reason"] for f in sorted(os.listdir(os.path.join(out, "private", "quarantine")))
             if f.endswith(".csv") for r in rows(os.path.join(out, "private", "quarantine", f))]
    nfoot = qrows.count("footer_note")

    def cell_n(label):
        m = re.search(r"<tr><td>%s</td><td class=\"n\">([0-9.,]+)</td></tr>"
                      % re.escape(label), page)
        return int(m.group(1).replace(".", "").replace(",", "")) if m else None
    lf, lq, lp = {"id": ("Baris catatan di bawah tabel (Sumber/Catatan; bukan data, dilewati)",
                         "Baris dikarantina",
                         "Baris judul sebelum header tabel (bukan data, dilewati)"),
                  "en": ("Note rows under a table (Sumber/Catatan; not data, skipped)",
                         "Rows quarantined",
                         "Title rows before a table's header (not data, skipped)")}[lang]
    got_f, got_q, got_p = cell_n(lf), cell_n(lq), cell_n(lp)
    if got_f != (nfoot or None) or got_q is None or \
            got_q + (got_f or 0) + (got_p or 0) != len(qrows):
        fail("ringkasan.html: footer notes %r, quarantined %r, title rows %r; the "
             "quarantine files hold %d rows, %d footer_note" %
             (got_f, got_q, got_p, len(qrows), nfoot))
    if nfoot and "footer_note" in text:
        fail("ringkasan.html lists footer_note among the quarantine reasons")
    ok("%d notes under a table counted apart from the %d quarantined rows" % (nfoot, got_q))
    for f in ("duplicates", "programme_violations"):
        n = len(rows(os.path.join(out, "private", f + ".csv")))
        if num(n, 0, lang) not in text:
            fail("ringkasan.html lacks the count %d of %s.csv" % (n, f))
    ok("duplicates and violations counted as in their CSVs")
    # Each violated rule in words with its code after it, e.g.
    # "penerima tidak terdaftar di DTKS (not_in_registry): 1".
    vio = rows(os.path.join(out, "private", "programme_violations.csv"))
    for rule in sorted({v["rule"] for v in vio}):
        n = sum(1 for v in vio if v["rule"] == rule)
        if not re.search(r"<li>[^<(]{8,} \(%s\): %s</li>" % (re.escape(rule), num(n, 0, lang)), page):
            fail("ringkasan.html does not name rule %s in words with its count %d" % (rule, n))
    ok("%d violated rules in words with their codes and counts" % len({v["rule"] for v in vio}))
    # Quarantine: rows before a table's header ("preamble") are counted
    # apart from the quarantined rows; together they are every row of the
    # quarantine files (each input row is output or in a quarantine).
    qdir = os.path.join(out, "private", "quarantine")
    reasons = [r["reason"] for f in sorted(os.listdir(qdir)) if f.endswith(".csv")
               for r in rows(os.path.join(qdir, f))]
    npre = reasons.count("preamble")
    nq = len(reasons) - npre - reasons.count("footer_note")

    def cell(label):
        m = re.search(r"<tr><td>%s</td><td class=\"n\">([0-9.,]+)</td></tr>"
                      % re.escape(label), page)
        return m.group(1) if m else None
    lq, lp = {"id": ("Baris dikarantina",
                     "Baris judul sebelum header tabel (bukan data, dilewati)"),
              "en": ("Rows quarantined",
                     "Title rows before a table's header (not data, skipped)")}[lang]
    got_q, got_p = cell(lq), cell(lp)
    if got_q != num(nq, 0, lang) or got_p != (num(npre, 0, lang) if npre else None):
        fail("ringkasan.html: quarantined %r, preamble %r; the quarantine files "
             "hold %d quarantined and %d preamble rows" % (got_q, got_p, nq, npre))
    if npre and "preamble" in text or ("%s baris dikarantina" % num(len(reasons), 0, lang)) in text:
        fail("ringkasan.html counts preamble rows as quarantined")
    ok("quarantine %d rows and %d title rows before a header counted apart "
       "(together the %d rows of the quarantine files)" % (nq, npre, len(reasons)))

    # tabel/kemiskinan.xlsx, a sheet per indicator
    book = os.path.join(out, "tabel/kemiskinan.xlsx")
    sheet_of = {"P0": "P0", "jumlah_miskin": "Jumlah Miskin", "P1": "P1",
                "P2": "P2", "gini": "Gini"}
    nsheet = 0
    for ind, sheet in sheet_of.items():
        if not any(h["indikator"] == ind and h["sumber_data"] == "hitung" for h in hist):
            continue
        nsheet += 1
        cells = xlsx_read.cells(book, sheet)
        years = {col: int(v) for (r, col), (t, v) in cells.items() if r == 3 and t == "n"}
        styles = cell_styles(book, sheet)
        seen = set()
        zeros = 0
        for (r, col), (t, v) in cells.items():
            if r <= 3 or col not in years or t != "n":
                continue
            kode = cells.get((r, 0), ("s", ""))[1]
            name = cells.get((r, 1), ("s", ""))[1]
            if "BPS" in name:
                continue
            # a kecamatan code has two dots (63.11.01); the total is the
            # kabupaten's
            dom = "kode_wilayah=" + kode if kode.count(".") >= 2 else "total"
            match = [h for h in hist if h["indikator"] == ind and h["sumber_data"] == "hitung"
                     and int(h["tahun"]) == years[col] and h["domain"] == dom]
            if len(match) != 1:
                fail("%s sheet row %d (%s) year %d: %d history rows" % (sheet, r + 1, kode, years[col], len(match)))
            h = match[0]
            # the history's double exactly, 17 significant digits where
            # it needs them
            if float(h["estimate"]) != v:
                fail("%s sheet %s %d: %r, history %s" % (sheet, kode, years[col], v, h["estimate"]))
            fmt = styles.get((r, col), "")
            stars = {"caution": '"*"', "unreliable": '"**"'}.get(h["reliability"], "")
            if not h["reliability"] and float(h["estimate"]) == 0:
                stars = '" (a)"'   # no poor in the sample: no RSE, marked
                zeros += 1
            if (stars and not fmt.endswith(stars)) or (not stars and '"*' in fmt):
                fail("%s sheet %s %d: format %r for %s" % (sheet, kode, years[col], fmt, h["reliability"]))
            if re.fullmatch(r"[0-9.]+", name):
                fail("%s sheet row %d: a code %r where the region name goes" % (sheet, r + 1, name))
            seen.add((h["domain"], years[col]))
        want = {(h["domain"], int(h["tahun"])) for h in hist
                if h["indikator"] == ind and h["sumber_data"] == "hitung"
                and (h["domain"] == "total" or h["domain"].startswith("kode_wilayah="))}
        if seen != want:
            fail("%s sheet misses %s" % (sheet, sorted(want - seen)[:3]))
        note = [v for (r, col), (t, v) in cells.items() if t == "s" and v.startswith("(a) ")]
        if (1 if zeros else 0) != len(note):
            fail("%s sheet: %d zero estimates without RSE marked (a) but %d notes" % (sheet, zeros, len(note)))
        if ind == "P0":
            ok("tabel/kemiskinan.xlsx P0: %d estimates equal the history, RSE flags as BPS, "
               "%d zeros without RSE marked (a)" % (len(seen), zeros))
    ok("tabel/kemiskinan.xlsx: %d indicator sheets hold the history's doubles exactly" % nsheet)
    for f in ("tabel/kemiskinan.xlsx", "private/review.xlsx",
              "private/programme_violations.xlsx", "private/duplicates.xlsx"):
        with open(os.devnull, "w") as null:
            saved, sys.stdout = sys.stdout, null
            try:
                err = xlsx_read.check(os.path.join(out, f))
            finally:
                sys.stdout = saved
        if err:
            fail(err)
    ok("report workbooks are well-formed packages (content types, relationships, cell order)")

    # Clerk workbooks.
    for f in ("review", "programme_violations"):
        err = xlsx_read.compare(os.path.join(out, "private", f + ".xlsx"),
                                os.path.join(out, "private", f + ".csv"))
        if err:
            fail(err)
    dups = rows(os.path.join(out, "private/duplicates.csv"))
    norm = {(r["src_file"], r["src_line"]): r for r in
            rows(os.path.join(out, "private/normalized/dtks.csv"))}
    dx = xlsx_read.cells(os.path.join(out, "private/duplicates.xlsx"))
    head = {v: col for (r, col), (t, v) in dx.items() if r == 0}
    for i, d in enumerate(dups, start=1):
        a = norm[(d["src_file"], d["src_line"])]
        b = norm[(d["survivor_src_file"], d["survivor_src_line"])]
        for side, rec in (("duplikat", a), ("dipertahankan", b)):
            for k in ("nik", "no_kk"):
                got = dx.get((i, head[k + "_" + side]))
                if rec[k] and got != ("s", rec[k]):
                    fail("duplicates.xlsx row %d %s_%s: %r" % (i + 1, k, side, got))
    ok("clerk workbooks: review and violations equal their CSVs; %d duplicate "
       "pairs side by side with NIK/No KK as text" % len(dups))
    return 0


def cell_styles(book, sheet):
    """{(row, col): number format code} of one sheet."""
    z = zipfile.ZipFile(book)
    ns = xlsx_read.NS
    st = ET.fromstring(z.read("xl/styles.xml"))
    codes = {}
    nf = st.find("m:numFmts", ns)
    if nf is not None:
        for n in nf.findall("m:numFmt", ns):
            codes[n.get("numFmtId")] = n.get("formatCode")
    xfs = [codes.get(x.get("numFmtId"), "") for x in
           st.find("m:cellXfs", ns).findall("m:xf", ns)]
    part = dict(xlsx_read.sheets(z))[sheet]
    out = {}
    for c in ET.fromstring(z.read(part)).iter("{%s}c" % ns["m"]):
        col, row = xlsx_read.col_index(c.get("r"))
        out[(row, col)] = xfs[int(c.get("s", "0"))]
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
