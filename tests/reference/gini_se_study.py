#!/usr/bin/env python3
"""Why the Gini's linearized and jackknife SEs differ on the fixtures, and
which one is closer to the truth (docs/indicators.md, "Why the jackknife by
default"). Python 3 standard library; not run by make test (the Monte Carlo
takes minutes).

usage: gini_se_study.py table NORMALIZED_SUSENAS.csv...
       gini_se_study.py mc DRAWS NORMALIZED_SUSENAS.csv...

table: per year and domain (total, perkotaan, perdesaan, each kode_wilayah)
  the Gini, its linearized SE (convey's influence function), the JKn
  jackknife SE centred three ways (mean of all replicates as R's
  mse = FALSE; the full estimate, mse = TRUE; the stratum means) as ratios
  to the linearized one, the largest replicate shift in linearized SEs, and
  the same jackknife / linearized ratio for the weighted mean of kapita (a
  smooth ratio) - all from the records, without angka.
mc: each file's sample taken as the population; DRAWS samples of the same
  design (in every stratum n_h PSUs drawn with replacement from its n_h);
  per domain and statistic (gini, mean) the SD of the estimates and the root
  mean square of each SE, and how often estimate -/+ 1.96 SE covers the
  population value. seed 15.
"""
import csv
import math
import random
import sys
from collections import defaultdict


def load(path):
    with open(path, newline='') as f:
        return [(float(d['kapita']), float(d['bobot']), d['psu'], d['strata'],
                 d['kode_wilayah'], d['daerah'], d['tahun'])
                for d in csv.DictReader(f)]


def gini(ys, ws):
    """convey: sum((2 r - w) y w) / (N T) - 1 on records sorted by y."""
    n = sum(ws)
    t = sum(y * w for y, w in zip(ys, ws))
    if n <= 0 or t <= 0:
        return float('nan')
    r = num = 0.0
    for y, w in zip(ys, ws):
        r += w
        num += (2 * r - w) * y * w
    return num / (n * t) - 1


def gini_lin(ys, ws, g):
    n = sum(ws)
    t = sum(y * w for y, w in zip(ys, ws))
    r = tk = 0.0
    z = []
    for y, w in zip(ys, ws):
        r += w
        tk += y * w
        z.append((2 * r * y + 2 * (t - tk) - (g + 1) * (t + n * y)) / (n * t))
    return z


def mean(ys, ws):
    w = sum(ws)
    return sum(y * v for y, v in zip(ys, ws)) / w if w > 0 else float('nan')


def mean_lin(ys, ws, m):
    w = sum(ws)
    return [(y - m) / w for y in ys]


def ses(recs, sel, stat, lin):
    """stat, linearized SE, JKn SE centred on the replicates' mean (R), on
    the estimate (mse), on stratum means, largest |replicate - estimate|."""
    dom = sorted((i for i in range(len(recs)) if sel[i]),
                 key=lambda i: (recs[i][0], recs[i][1], recs[i][2]))
    ys = [recs[i][0] for i in dom]
    ws = [recs[i][1] for i in dom]
    g = stat(ys, ws)
    tot = defaultdict(float)
    z = lin(ys, ws, g)
    for k, i in enumerate(dom):
        tot[recs[i][2]] += ws[k] * z[k]
    strata = defaultdict(set)
    for r in recs:
        strata[r[3]].add(r[2])
    v = 0.0
    for ps in strata.values():
        n = len(ps)
        if n > 1:
            t = [tot.get(p, 0.0) for p in ps]
            m = sum(t) / n
            v += n / (n - 1) * sum((x - m) ** 2 for x in t)
    reps = []
    for h, ps in sorted(strata.items()):
        n = len(ps)
        if n < 2:
            continue
        for p in sorted(ps):
            w2 = [ws[k] * (0.0 if recs[i][2] == p else n / (n - 1))
                  if recs[i][3] == h else ws[k] for k, i in enumerate(dom)]
            reps.append((h, n, stat(ys, w2)))
    mr = sum(t for _, _, t in reps) / len(reps)
    hm = defaultdict(list)
    for h, _, t in reps:
        hm[h].append(t)
    vr = sum((n - 1) / n * (t - mr) ** 2 for _, n, t in reps)
    vm = sum((n - 1) / n * (t - g) ** 2 for _, n, t in reps)
    vs = sum((n - 1) / n * (t - sum(hm[h]) / len(hm[h])) ** 2
             for h, n, t in reps)
    shift = max(abs(t - g) for _, _, t in reps)
    return g, math.sqrt(v), math.sqrt(vr), math.sqrt(vm), math.sqrt(vs), shift


def domains(recs):
    ds = [('total', [True] * len(recs)),
          ('perkotaan', [r[5] == '1' for r in recs]),
          ('perdesaan', [r[5] == '2' for r in recs])]
    for k in sorted({r[4] for r in recs}):
        ds.append((k, [r[4] == k for r in recs]))
    return ds


def table(paths):
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['tahun', 'domain', 'n_psu', 'gini', 'se_lin', 'jk_lin',
                  'jk_mse_lin', 'jk_strata_lin', 'max_shift', 'mean_jk_lin'])
    for path in paths:
        recs = load(path)
        for name, sel in domains(recs):
            npsu = len({r[2] for r, s in zip(recs, sel) if s})
            g, sl, sr, sm, ss, sh = ses(recs, sel, gini, gini_lin)
            _, ml, mr, _, _, _ = ses(recs, sel, mean, mean_lin)
            out.writerow([recs[0][6], name, npsu, '%.6g' % g, '%.6g' % sl,
                          '%.4f' % (sr / sl), '%.4f' % (sm / sl),
                          '%.4f' % (ss / sl), '%.3f' % (sh / sl),
                          '%.4f' % (mr / ml)])


def mc(draws, paths):
    random.seed(15)
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['tahun', 'domain', 'stat', 'draws', 'sd_true', 'rms_lin',
                  'rms_jk', 'cover_lin', 'cover_jk'])
    for path in paths:
        recs = load(path)
        bypsu = defaultdict(list)
        strata = defaultdict(list)
        for r in recs:
            bypsu[r[2]].append(r)
        for p, rs in sorted(bypsu.items()):
            strata[rs[0][3]].append(p)
        stats = (('gini', gini, gini_lin), ('mean', mean, mean_lin))
        pop = {}
        for name, sel in domains(recs):
            for s, f, l in stats:
                pop[name, s] = ses(recs, sel, f, l)[0]
        acc = defaultdict(list)
        for _ in range(draws):
            smp = []
            for h, ps in sorted(strata.items()):
                for j in range(len(ps)):
                    p = random.choice(ps)
                    smp += [(r[0], r[1], '%s#%d' % (h, j)) + r[3:]
                            for r in bypsu[p]]
            for name, sel in domains(smp):
                # as angka: no SE for a domain inside one PSU
                if len({r[2] for r, s in zip(smp, sel) if s}) < 2:
                    continue
                for s, f, l in stats:
                    g, sl, sj = ses(smp, sel, f, l)[:3]
                    acc[name, s].append((g, sl, sj))
        for (name, s), v in acc.items():
            k = len(v)
            m = sum(a for a, _, _ in v) / k
            sd = math.sqrt(sum((a - m) ** 2 for a, _, _ in v) / (k - 1))
            rl = math.sqrt(sum(b * b for _, b, _ in v) / k)
            rj = math.sqrt(sum(c * c for _, _, c in v) / k)
            t = pop[name, s]
            cl = sum(abs(a - t) <= 1.96 * b for a, b, _ in v) / k
            cj = sum(abs(a - t) <= 1.96 * c for a, _, c in v) / k
            out.writerow([recs[0][6], name, s, k, '%.6g' % sd, '%.6g' % rl,
                          '%.6g' % rj, '%.3f' % cl, '%.3f' % cj])


if __name__ == '__main__':
    if len(sys.argv) > 2 and sys.argv[1] == 'table':
        table(sys.argv[2:])
    elif len(sys.argv) > 3 and sys.argv[1] == 'mc':
        mc(int(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(__doc__)
