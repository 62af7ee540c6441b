#!/usr/bin/env python3
"""garis_reference.py - an independent computation of the basic-needs poverty
lines (BPS method as docs/garis.md states it) for tests/check-garis-reference.sh.

Written from the method text, not from stages/garis/: plain Python floats
(math.fsum for the sums), no code shared with angka. Usage:

  garis_reference.py FIXTURES YEAR >tests/reference/garis/expected_YEAR.csv

Prints domain,indikator,estimate,se for GKM, GKNM, GK (perkotaan,
perdesaan, total), with the delete-one-PSU jackknife SE, the contribution
of every commodity (indikator kontribusi:KODE) and, for a +10 % price of
rice (001) and of cigarettes (051), the scenario GK (indikator
gk_harga:KODE) computed by re-running the whole method with that unit
value raised, not from the contributions.
"""
import csv
import math
import sys
from collections import defaultdict

fx, year = sys.argv[1], int(sys.argv[2])


def rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))


hh = {}
for i, r in enumerate(rows(f'{fx}/susenas/susenas_balangan_{year}.csv')):
    hh[r['URUT']] = dict(order=i, area=int(r['R105']), psu=r['PSU'], strata=r['STRATA'],
                         size=int(r['R301']), w=float(r['WERT']),
                         y=float(r['KAPITA']))
kkal = {r['kode']: float(r['kkal_per_satuan'])
        for r in rows(f'{fx}/konsumsi/komoditas_makanan.csv')}
ratio = {1: {}, 2: {}}
for r in rows(f'{fx}/konsumsi/rasio_kebutuhan_dasar.csv'):
    if r['rasio_perkotaan'] != '':
        ratio[1][r['kode']] = float(r['rasio_perkotaan'])
    if r['rasio_perdesaan'] != '':
        ratio[2][r['kode']] = float(r['rasio_perdesaan'])
ihk = {r['periode']: float(r['ihk']) for r in rows(f'{fx}/konsumsi/ihk_balangan.csv')}
gk = {r['periode']: float(r['garis_kemiskinan'])
      for r in rows(f'{fx}/garis_kemiskinan/garis_kemiskinan_balangan.csv')}
food = defaultdict(list)   # URUT -> [(kode, qty, value)]
for r in rows(f'{fx}/konsumsi/konsumsi_makanan_balangan_{year}.csv'):
    food[r['URUT']].append((r['KODE'], float(r['KUANTITAS']), float(r['NILAI'])))
nonf = defaultdict(list)
for r in rows(f'{fx}/konsumsi/konsumsi_bukan_makanan_balangan_{year}.csv'):
    nonf[r['URUT']].append((r['KODE'], float(r['NILAI'])))

prev, cur = f'{year - 1}-03', f'{year}-03'
zp = gk[prev] * (ihk[cur] / ihk[prev])


PRICE = {}   # commodity -> factor on its values (what-if)


def lines(wt):
    """wt: URUT -> household weight. Returns {area: (GKM, GKNM, GK, pop,
    contrib dict)} and the total."""
    out = {}
    for a in (1, 2):
        hs = [u for u in hh if hh[u]['area'] == a and wt[u] > 0]
        if not hs:
            continue
        pop = math.fsum(wt[u] * hh[u]['size'] for u in hs)
        hs.sort(key=lambda u: (hh[u]['y'], hh[u]['order']))  # ties: file order
        ref, cum = [], 0.0
        for u in hs:
            if hh[u]['y'] < zp:
                continue
            if cum >= 0.2 * pop:
                break
            ref.append(u)
            cum += wt[u] * hh[u]['size']
        P = math.fsum(wt[u] * hh[u]['size'] for u in ref)
        q, v, n = defaultdict(list), defaultdict(list), defaultdict(list)
        for u in ref:
            for k, qty, val in food[u]:
                q[k].append(wt[u] * qty)
                v[k].append(wt[u] * val * PRICE.get(k, 1.0))
            for k, val in nonf[u]:
                n[k].append(wt[u] * val * PRICE.get(k, 1.0))
        Q = {k: math.fsum(x) / P for k, x in q.items()}
        V = {k: math.fsum(x) / P for k, x in v.items()}
        N = {k: math.fsum(x) / P for k, x in n.items()}
        C = math.fsum(Q[k] * kkal[k] for k in Q) / 30.0
        f = 2100.0 / C
        contrib = {k: f * V[k] for k in V}
        for k in N:
            if k in ratio[a]:
                contrib[k] = ratio[a][k] * N[k]
        gkm = math.fsum(contrib[k] for k in V)
        gknm = math.fsum(contrib[k] for k in contrib if k not in V)
        out[a] = (gkm, gknm, gkm + gknm, pop, contrib)
    tp = math.fsum(out[a][3] for a in out)
    tot = [math.fsum(out[a][i] * out[a][3] for a in out) / tp for i in range(3)]
    return out, tot


def flat(res):
    out, tot = res
    d = {}
    names = {1: 'perkotaan', 2: 'perdesaan'}
    for a, (gkm, gknm, g, _, contrib) in out.items():
        d[(names[a], 'GKM')] = gkm
        d[(names[a], 'GKNM')] = gknm
        d[(names[a], 'GK')] = g
    d[('total', 'GKM')], d[('total', 'GKNM')], d[('total', 'GK')] = tot
    return d


w0 = {u: hh[u]['w'] for u in hh}
full = lines(w0)
est = flat(full)
# delete-one-PSU jackknife within strata (JKn)
strata = defaultdict(set)
for u in hh:
    strata[hh[u]['strata']].add(hh[u]['psu'])
var = defaultdict(float)
for s, psus in sorted(strata.items()):
    nh = len(psus)
    for p in sorted(psus):
        wt = {}
        for u in hh:
            if hh[u]['strata'] != s:
                wt[u] = w0[u]
            elif hh[u]['psu'] == p:
                wt[u] = 0.0
            else:
                wt[u] = w0[u] * nh / (nh - 1)
        rep = flat(lines(wt))
        for key in est:
            var[key] += (nh - 1) / nh * (rep[key] - est[key]) ** 2
print('domain,indikator,estimate,se')
for key in sorted(est):
    print(f'{key[0]},{key[1]},{est[key]!r},{math.sqrt(var[key])!r}')
names = {1: 'perkotaan', 2: 'perdesaan'}
for a, (_, _, _, _, contrib) in sorted(full[0].items()):
    for k in sorted(contrib):
        print(f'{names[a]},kontribusi:{k},{contrib[k]!r},')
for k in ('001', '051'):
    PRICE = {k: 1.1}
    sc = flat(lines(w0))
    for dom in ('perdesaan', 'perkotaan', 'total'):
        print(f'{dom},gk_harga:{k},{sc[(dom, "GK")]!r},')
