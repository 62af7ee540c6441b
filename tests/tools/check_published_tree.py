#!/usr/bin/env python3
"""check_published_tree.py OUT [manifest|regions] - a published run (issue 16), checked with
readers independent of angka:

- manifest.json's "files" lists exactly the files of the run (every
  regular file under OUT but manifest.json and run.log), each with its
  size and sha256 (hashlib), and each published table (a CSV outside
  private/ and shared/, excel/ copies included) with its data rows as
  Python's csv module counts them;
- every published table writes its regions in one form: a kode_wilayah
  column (dotted Kemendagri code, or "total" for the whole table) followed
  by nama_wilayah, non-empty on every row; a domain "kode_wilayah=CODE"
  with a dotted CODE followed by nama_domain, the name of CODE; no other
  column holds an undotted region code.
Without a second argument both; with one, only that part.
Prints one line per check, "N passed, N failed" last; exit 1 on a failure.
"""
import csv
import hashlib
import json
import os
import re
import sys

DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
UNDOTTED = re.compile(r"^(\d{4}|\d{6}|\d{10})$")
REGION_COLS = ("kode_wilayah", "kode_kab", "kode_kec", "kode_desa",
               "kode_prov")

passed = failed = 0


def ok(msg):
    global passed
    passed += 1
    print("ok - " + msg)


def bad(msg):
    global failed
    failed += 1
    print("FAIL - " + msg)


def tree(out):
    files = []
    for d, dirs, names in os.walk(out):
        dirs.sort()
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), out)
            if rel not in ("manifest.json", "run.log"):
                files.append(rel)
    return sorted(files)


def is_table(rel):
    return rel.endswith(".csv") and not rel.startswith(("private/", "shared/"))


def read_table(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    delim = ","
    if text.startswith("\ufeff"):
        text = text[1:]
        delim = ";"
    return list(csv.reader(text.splitlines(keepends=True), delimiter=delim))


def check_manifest(out):
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    listed = m.get("files")
    if not isinstance(listed, list):
        bad("manifest.json has no \"files\"")
        return
    have = tree(out)
    paths = [x.get("path") for x in listed]
    if sorted(paths) != have:
        extra = sorted(set(paths) - set(have))
        missing = sorted(set(have) - set(paths))
        bad("manifest files differ from the tree: listed only %s, "
            "not listed %s" % (extra[:5], missing[:5]))
        return
    ok("manifest lists exactly the %d files of the run" % len(have))
    wrong = []
    ntab = 0
    for x in listed:
        p = os.path.join(out, x["path"])
        with open(p, "rb") as f:
            data = f.read()
        if x.get("bytes") != len(data) or \
                x.get("sha256") != hashlib.sha256(data).hexdigest():
            wrong.append(x["path"] + " (size/sha256)")
            continue
        if is_table(x["path"]):
            ntab += 1
            rows = len(read_table(p)) - 1
            if x.get("rows") != max(rows, 0):
                wrong.append("%s (rows %s, csv counts %d)"
                             % (x["path"], x.get("rows"), rows))
        elif "rows" in x:
            wrong.append(x["path"] + " (rows on a non-table)")
    if wrong:
        bad("manifest entries wrong: %s" % wrong[:5])
    else:
        ok("every size and sha256 matches, %d tables with their rows" % ntab)


def region_names(out):
    names = {}
    p = os.path.join(out, "private", "normalized", "wilayah.csv")
    if os.path.exists(p):
        with open(p, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                names[r["kode"].replace(".", "")] = r["nama"]
    return names


def check_regions(out):
    names = region_names(out)
    ntab = 0
    for rel in tree(out):
        if not is_table(rel):
            continue
        rows = read_table(os.path.join(out, rel))
        if not rows:
            continue
        ntab += 1
        h = rows[0]
        problems = []
        if "kode_wilayah" in h:
            k = h.index("kode_wilayah")
            if k + 1 >= len(h) or h[k + 1] != "nama_wilayah":
                problems.append("kode_wilayah not followed by nama_wilayah")
            else:
                for r in rows[1:]:
                    code, name = r[k], r[k + 1]
                    if code != "total" and not DOTTED.match(code):
                        problems.append("kode_wilayah '%s'" % code)
                    elif not name:
                        problems.append("no nama_wilayah for '%s'" % code)
                    elif code == "total" and name != "Jumlah":
                        problems.append("total named '%s'" % name)
                    elif code != "total" and names and \
                            names.get(code.replace(".", "")) != name:
                        problems.append("'%s' named '%s'" % (code, name))
                    if problems:
                        break
        for c in REGION_COLS[1:]:
            if c in h:
                k = h.index(c)
                for r in rows[1:]:
                    if r[k] and not DOTTED.match(r[k]):
                        problems.append("%s '%s'" % (c, r[k]))
                        break
        if "domain" in h:
            d = h.index("domain")
            has_nd = d + 1 < len(h) and h[d + 1] == "nama_domain"
            for r in rows[1:]:
                v = r[d]
                if not v.startswith("kode_wilayah="):
                    if UNDOTTED.match(v):
                        problems.append("domain '%s'" % v)
                        break
                    continue
                code = v[len("kode_wilayah="):]
                if not DOTTED.match(code):
                    problems.append("domain '%s'" % v)
                    break
                if not has_nd:
                    problems.append("domain '%s' without nama_domain" % v)
                    break
                want = names.get(code.replace(".", ""), "")
                if not r[d + 1] or (names and r[d + 1] != want):
                    problems.append("domain '%s' named '%s'" % (v, r[d + 1]))
                    break
        if problems:
            bad("%s: %s" % (rel, "; ".join(problems[:3])))
    if ntab:
        ok("%d published tables checked for region codes and names" % ntab)
    else:
        bad("no published tables")


def main():
    part = sys.argv[2] if len(sys.argv) == 3 else "all"
    if len(sys.argv) not in (2, 3) or part not in ("all", "manifest",
                                                    "regions"):
        print("usage: check_published_tree.py OUT [manifest|regions]",
              file=sys.stderr)
        return 2
    out = os.path.realpath(sys.argv[1])
    if part in ("all", "manifest"):
        check_manifest(out)
    if part in ("all", "regions"):
        check_regions(out)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
