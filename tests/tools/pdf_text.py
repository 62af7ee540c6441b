#!/usr/bin/env python3
"""pdf_text.py CHART.pdf CHART.svg - the text of a PDF chart as poppler
reads it (pdftotext -bbox), checked against the same chart's SVG:

- the page is the SVG's size (points; 1 pt tolerance for rounding);
- every word is set at one of the SVG's font sizes: DejaVu Sans, the Sans
  of the charts, puts a line box of 1.164 em (ascent 0.928 + descent
  0.236), so a word's box height (its width for the rotated axis title)
  over 1.164 is its size in points, within 4 %;
- no two words' boxes overlap (0.25 pt tolerance each way): a footnote
  over an axis label, a data label over a tick label is a failure.
Prints "N words, sizes ..." or each problem (exit 1).
"""
import re
import subprocess
import sys

EM_BOX = 1.164
TOL = 0.25


def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    page = re.search(r'<page width="([0-9.]+)" height="([0-9.]+)"', out)
    ws = []
    for m in re.finditer(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" '
                         r'xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>', out):
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        ws.append((x0, y0, x1, y1, m.group(5)))
    return (float(page.group(1)), float(page.group(2))), ws


def svg_info(svg):
    s = open(svg, encoding="utf-8").read()
    m = re.search(r'<svg[^>]*\swidth="([0-9.]+)"[^>]*\sheight="([0-9.]+)"', s, re.S)
    sizes = sorted({float(x) for x in re.findall(r'font-size="([0-9.]+)"', s)})
    return (float(m.group(1)), float(m.group(2))), sizes


def main(pdf, svg):
    (pw, ph), ws = words(pdf)
    (sw, sh), sizes = svg_info(svg)
    bad = []
    if abs(pw - sw) > 1 or abs(ph - sh) > 1:
        bad.append("page %gx%g, SVG %gx%g" % (pw, ph, sw, sh))
    seen = set()
    for x0, y0, x1, y1, t in ws:
        cand = [(y1 - y0) / EM_BOX, (x1 - x0) / EM_BOX]
        hit = [s for s in sizes for c in cand if abs(c - s) <= 0.04 * s]
        if not hit:
            bad.append("%r: %.2f pt high, SVG sizes %s" % (t, cand[0], sizes))
        else:
            seen.add(hit[0])
    for i in range(len(ws)):
        a = ws[i]
        for j in range(i + 1, len(ws)):
            b = ws[j]
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > TOL and dy > TOL:
                bad.append("%r at (%.1f,%.1f) overlaps %r at (%.1f,%.1f)" %
                           (a[4], a[0], a[1], b[4], b[0], b[1]))
    if bad:
        for b in bad[:10]:
            print("%s: %s" % (pdf, b))
        return 1
    print("%s: %d words, sizes %s pt, no overlap" %
          (pdf, len(ws), " ".join("%g" % s for s in sorted(seen))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
