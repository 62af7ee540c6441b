#!/usr/bin/env python3
"""Independent Gini SEs for the fixtures (Python 3 standard library only).

usage: gini_jackknife.py NORMALIZED_SUSENAS.csv... > expected/gini_jackknife.csv

For every year (one file each) and every domain angka-indicators publishes
with `by = kode_wilayah` (total, perkotaan, perdesaan, each kecamatan) it
prints the Gini (convey's point estimate, recomputed here from the records)
and two SEs computed from replicate weights only, without angka's
influence-function formula:

  se_lin  the linearized SE, as the infinitesimal jackknife: each PSU j of
          stratum h in turn gets weight factor 1 - e, the other PSUs of h
          1 + e/(n_h - 1); d_hj = dG/de by a central difference (e = 1e-4
          and -1e-4); V = sum (n_h - 1)/n_h d_hj^2. This equals the
          ultimate-cluster variance of the Gini's influence function
          computed within the domain and 0 outside, over all PSUs of the
          design (relative error of the difference ~1e-9).
  se_jk   the delete-one-PSU jackknife of R survey's
          as.svrepdesign(type = "JKn") (weights 0 for the PSU, n_h/(n_h - 1)
          for the rest of its stratum; V = sum (n_h - 1)/n_h (G_hj - mean
          of all G_hj)^2, R's mse = FALSE). Replicates where the domain has
          no positive weight are skipped, as R's NaN replicates are not
          (only in a domain inside one PSU, where angka has no SE).
          angka's published SE (gini_se = jackknife) must equal it, and
          --gini-se linearization must equal se_lin
          (tests/check-published.sh).
  max_shift  the largest |G_hj - G| / se_lin over the replicates: how far
          deleting one PSU moves the Gini, in linearized SEs.

No finite population correction (the fixtures have none).
"""
import csv
import math
import sys
from collections import defaultdict


def gini(recs):
    """convey: sum((2 r - w) y w) / (N T) - 1, r the cumulative weight."""
    recs = sorted((y, w) for y, w in recs if w > 0)
    if not recs:
        return float('nan')
    N = sum(w for _, w in recs)
    T = sum(y * w for y, w in recs)
    r = num = 0.0
    for y, w in recs:
        r += w
        num += (2 * r - w) * y * w
    return num / (N * T) - 1


def replicate(recs, h, j, nh, fdel, fkeep):
    return [(y, w * (fdel if p == j else fkeep) if s == h else w)
            for y, w, p, s in recs]


def domain_row(recs, strata):
    g = gini([(y, w) for y, w, _, _ in recs])
    e = 1e-4
    vlin = 0.0
    jk = []
    for h, psus in sorted(strata.items()):
        nh = len(psus)
        if nh < 2:
            continue
        for j in sorted(psus):
            gp = gini(replicate(recs, h, j, nh, 1 - e, 1 + e / (nh - 1)))
            gm = gini(replicate(recs, h, j, nh, 1 + e, 1 - e / (nh - 1)))
            d = (gp - gm) / (2 * e)
            vlin += (nh - 1) / nh * d * d
            rep = replicate(recs, h, j, nh, 0.0, nh / (nh - 1))
            if any(w > 0 for _, w in rep):
                jk.append((nh, gini(rep)))
    mean = sum(t for _, t in jk) / len(jk)
    vjk = sum((nh - 1) / nh * (t - mean) ** 2 for nh, t in jk)
    slin = math.sqrt(vlin)
    shift = max(abs(t - g) for _, t in jk) / slin if slin > 0 else float('nan')
    return g, slin, math.sqrt(vjk), shift


def main(paths):
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['tahun', 'domain', 'n_psu', 'gini', 'se_lin', 'se_jk',
                  'max_shift'])
    for path in paths:
        with open(path, newline='') as f:
            rows = list(csv.DictReader(f))
        strata = defaultdict(set)
        for d in rows:
            strata[d['strata']].add(d['psu'])
        doms = [('total', lambda d: True),
                ('perkotaan', lambda d: d['daerah'] == '1'),
                ('perdesaan', lambda d: d['daerah'] == '2')]
        for k in sorted({d['kode_wilayah'] for d in rows}):
            doms.append(('kode_wilayah=' + k,
                         lambda d, k=k: d['kode_wilayah'] == k))
        tahun = rows[0]['tahun']
        for name, sel in doms:
            recs = [(float(d['kapita']), float(d['bobot']), d['psu'],
                     d['strata']) for d in rows if sel(d)]
            npsu = len({p for _, w, p, _ in recs if w > 0})
            g, slin, sjk, shift = domain_row(recs, strata)
            out.writerow([tahun, name, npsu, '%.15g' % g, '%.15g' % slin,
                          '%.15g' % sjk, '%.4g' % shift])


if __name__ == '__main__':
    main(sys.argv[1:])
