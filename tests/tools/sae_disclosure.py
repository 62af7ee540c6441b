#!/usr/bin/env python3
"""sae_disclosure.py RUN_DIR - the small-area table of a published run
discloses no count the registry table hides (issue 17), and has every desa.

Independently of angka-sae, from the run's files:
  - every desa of private/registry_internal.csv has one row per modelled
    indicator in indicators/sae.csv (metode sintetis or ditahan) and a
    value in private/sae_internal.csv;
  - every published desa or kecamatan value of the model equals
    b0 + sum b_j x_j (desa: exactly; the synthetic estimate) with b from
    indicators/sae_model.csv and x computed from the PUBLISHED
    indicators/registry.csv alone (desil_1 + desil_2 also as dtks_jiwa less
    the other desil cells when those are shown), so it can reveal nothing
    the published table does not;
  - every ditahan row is of a desa whose covariates the published table
    cannot give, and its internal value is the model on the internal counts.
Prints one summary line; exit 1 on any failure.
"""
import csv
import math
import sys

run = sys.argv[1]


def registry(path):
    t = {}
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r["domain"] in ("desa", "kecamatan"):
            v = float(r["value"]) if r["value"] != "" else math.nan
            t.setdefault((r["domain"], r["kode_wilayah"]), {})[r["indikator"]] = v
    return t


def covariate(name, v, derive):
    g = lambda k: v.get(k, math.nan)
    jiwa = g("dtks_jiwa")

    def pct(a):
        return 100 * a / jiwa if jiwa > 0 else math.nan
    if name == "desil12_pct":
        d12 = g("desil_1") + g("desil_2")
        if math.isnan(d12) and derive:
            rest = sum(g("desil_%d" % i) for i in range(3, 11)) + g("desil_kosong")
            d12 = jiwa - rest
        return pct(d12)
    if name == "pkh_pct":
        return pct(g("penerima_pkh"))
    if name == "bpnt_pct":
        return pct(g("penerima_bpnt"))
    if name == "art_per_ruta":
        r = g("dtks_ruta")
        return jiwa / r if r > 0 else math.nan
    if name == "dtks_pct":
        return g("share_penduduk_pct")
    raise SystemExit("unknown covariate " + name)


pub = registry(run + "/indicators/registry.csv")
internal = registry(run + "/private/registry_internal.csv")
coef = {}
for r in csv.DictReader(open(run + "/indicators/sae_model.csv", encoding="utf-8")):
    if r["kind"] == "coef":
        coef.setdefault(r["indikator"], {})[r["name"]] = float(r["value"])


def rows(path):
    out = {}
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r["metode"] == "langsung":
            continue
        key = (r["indikator"], r["domain"][len("kode_wilayah="):])
        if key in out:
            raise SystemExit("%s: two model rows for %s" % (path, key))
        out[key] = r
    return out


sae = rows(run + "/indicators/sae.csv")
sae_int = rows(run + "/private/sae_internal.csv")
desa = sorted(k[1] for k in internal if k[0] == "desa")
fails = []
n_val = n_held = 0
worst = 0.0
for ind, b in sorted(coef.items()):
    names = [n for n in b if n != "(Intercept)"]
    for (lvl, code), cv in sorted(internal.items()):
        r = sae.get((ind, code))
        ri = sae_int.get((ind, code))
        if lvl == "desa" and (r is None or ri is None or ri["estimate"] == ""):
            fails.append("%s %s: no row or no internal value" % (ind, code))
            continue
        if r is None:
            continue   # a kecamatan refused
        xp = [covariate(n, pub.get((lvl, code), {}), True) for n in names]
        xi = [covariate(n, cv, False) for n in names]
        fit = lambda x: b["(Intercept)"] + sum(b[n] * xj for n, xj in zip(names, x))
        if r["metode"] == "ditahan":
            n_held += 1
            if all(not math.isnan(x) for x in xp):
                fails.append("%s %s: ditahan although derivable" % (ind, code))
            if lvl == "desa" and abs(float(ri["estimate"]) - fit(xi)) > 1e-9 * max(1, abs(fit(xi))):
                fails.append("%s %s: internal value is not the model" % (ind, code))
            if any(r[c] != "" for c in ("estimate", "se", "ci_lower", "ci_upper", "rse_pct")):
                fails.append("%s %s: ditahan with a value" % (ind, code))
            continue
        if any(math.isnan(x) for x in xp):
            fails.append("%s %s: published but its covariates are hidden" % (ind, code))
            continue
        if lvl == "desa":
            n_val += 1
            d = abs(float(r["estimate"]) - fit(xp)) / max(1, abs(fit(xp)))
            worst = max(worst, d)
            if d > 1e-9:
                fails.append("%s %s: %s is not the model on the published "
                             "counts (%r)" % (ind, code, r["estimate"], fit(xp)))
for f in fails[:10]:
    print("  " + f, file=sys.stderr)
print("%d desa x %d indicators present; %d published values equal the model "
      "on the published registry counts (max rel. diff %.1e); %d ditahan, "
      "not derivable from the published table; %d failures"
      % (len(desa), len(coef), n_val, worst, n_held, len(fails)))
sys.exit(1 if fails else 0)
