#!/bin/sh
# check-driver.sh BUILD - the pipeline driver's promises, on the fixtures:
#  1. a run publishes a complete result; a rerun reuses every step and gives
#     byte-identical outputs; --force too;
#  2. a second concurrent run exits 75;
#  3. kill -9 of the driver during each step leaves the published run as it
#     was, and a rerun gives the outputs of an uninterrupted run;
#  4. a write failure (LD_PRELOAD shim, like a full disk) gives a clear error
#     and leaves the previous published run intact;
#  5. private/ is 0500 with 0400 files; no NIK or name of the fixtures appears
#     in indicators, trend, charts, run.log or manifest.json;
#  6. dedup's identity counts reach the manifest;
#  7. two DTKS extracts publish the perubahan per desa;
#  8. the report: ringkasan.html, tabel/kemiskinan.xlsx and the clerk
#     workbooks equal the run's CSVs (tests/tools/check_report.py), hold no
#     NIK or name where published, the console ends with the findings;
#     [run] lang = en;
#  9. [output] csv = excel-id: an excel-id copy of every published table
#     under excel/, whose every number reads back as the RFC 4180 one;
#     angka check names a bad value with file:line.
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/fixtures
T=$(mktemp -d)
# Published runs are read-only: open them up so a non-root user can remove them.
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }

cat >"$T/test.ini" <<EOF
[angka]
name = Test Balangan
output_dir = out
[run]
retention = 2
pseudonymize_nik = hmac-sha256
key_file = key.txt
[input.wilayah]
files = $FIX/wilayah/wilayah_kalsel_balangan.csv
[input.penduduk]
files = $FIX/penduduk/penduduk_balangan.csv
[input.garis_kemiskinan]
files = $FIX/garis_kemiskinan/garis_kemiskinan_balangan.csv
[input.terbitan]
files = $FIX/terbitan/terbitan_balangan.csv
[input.susenas]
files = $FIX/susenas/susenas_balangan_2022.csv
        $FIX/susenas/susenas_balangan_2023.csv
        $FIX/susenas/susenas_balangan_2024.csv
[input.dtks]
files = $FIX/dtks/dtks_balangan_2024.csv
periods = 2024-06
[input.kube]
files = $FIX/kube/kube_balangan_2024.csv
[input.uep]
files = $FIX/uep/uep_balangan_2022.csv $FIX/uep/uep_balangan_2024.csv
[normalize]
crosswalk = $FIX/ref/crosswalk_bps_kemendagri_balangan.csv
[indicators]
by = kode_wilayah
[sae]
indikator = P0
EOF
echo "a-test-key-of-32-bytes-for-hmac!!" >"$T/key.txt"
chmod 600 "$T/key.txt"
cd "$T" || exit 1
A="$BUILD/angka"

# Checksums of every published file except the two with timestamps.
sums() {
	(cd -P out && find . -type f ! -name manifest.json ! -name run.log \
		! -name '.angka-state' | LC_ALL=C sort | xargs sha256sum)
}

# 1. First run, rerun, --force.
# angka check: every input header and every stage's config section.
if "$A" check -c test.ini >check.out 2>check.err; then ok "check exits 0 on a good config"
else bad "check on a good config: $(cat check.err)"; fi
printf '\n[dedup]\nno_such_key = 1\n' >>test.ini
"$A" check -c test.ini >/dev/null 2>check.err
st=$?
if [ "$st" -eq 2 ] && grep -q "unknown key 'no_such_key' in \[dedup\]" check.err; then
	ok "check names an unknown [dedup] key (exit 2)"
else
	bad "check with a bad [dedup] key: exit $st, $(cat check.err)"
fi
sed -i '/^\[dedup\]$/,$d' test.ini
if "$A" run -q -c test.ini 2>err1; then ok "first run exits 0"; else bad "first run: $(cat err1)"; fi
[ -L out ] && ok "out is a symlink to a published run" || bad "out is not a symlink"
for f in manifest.json run.log indicators/poverty.csv private/dtks_unik.csv \
	private/dtks_golden.csv; do
	[ -s "out/$f" ] && ok "published $f" || bad "missing out/$f"
done
# indicators/sae.csv: every eblup and sintetis row carries its RSE and a
# reliability label; a langsung row without RSE is a direct estimate of 0
# (RSE undefined: its SE could not be estimated); a ditahan row (a desa
# whose covariates rest on hidden registry counts) has no value at all.
if awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ m = $c["metode"]; r = $c["rse_pct"]; n[m]++
	  if (m == "eblup" || m == "sintetis") {
		if (r !~ /^[0-9.e+-]+$/ || $c["reliability"] == "") exit 1
	  } else if (m == "langsung") {
		if (r == "" && $c["estimate"] != 0) exit 1
	  } else if (m == "ditahan") {
		if ($c["estimate"] $c["se"] r $c["reliability"] != "") exit 1
	  } else exit 1 }
	END { if (!n["eblup"] || !n["sintetis"] || !n["langsung"]) exit 1 }' \
	out/indicators/sae.csv
then ok "indicators/sae.csv: every eblup/sintetis row has its RSE"
else bad "indicators/sae.csv: a model row without RSE or reliability"; fi
# The golden records ([dedup] golden = merged): one per person of two or
# more rows, i.e. per unique row with cluster_size > 1, the same cluster
# ids (a quoted field may span lines: Python's csv reads them).
gchk=$(python3 - out/private/dtks_golden.csv out/private/dtks_unik.csv <<'PY'
import csv, sys
g = list(csv.DictReader(open(sys.argv[1], newline='')))
u = [r['cluster_id'] for r in csv.DictReader(open(sys.argv[2], newline=''))
     if int(r['cluster_size']) > 1]
ok = len(g) > 0 and [r['cluster_id'] for r in g] == sorted(u) and \
     all(int(r['cluster_size']) > 1 for r in g)
print(len(g), len(u), 'ok' if ok else 'bad')
PY
)
set -- $gchk
[ "$(head -c 19 out/private/dtks_golden.csv)" = "cluster_id,cluster_" ] && [ "${3:-}" = ok ] &&
	ok "private/dtks_golden.csv: one golden record per person of 2+ rows ($1)" ||
	bad "private/dtks_golden.csv: $gchk (golden persons, unique clusters of 2+ rows)"
# [input.dtks] periods reaches normalize (--period FILE=...): every row's
# periode; one period per file, checked.
if awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "periode") c = i; next }
            $c != "2024-06" { exit 1 } END { exit !c }' out/private/dtks_unik.csv
then ok "[input.dtks] periods gives every row its periode"
else bad "periode of out/private/dtks_unik.csv is not the configured 2024-06"; fi
sed 's/^periods = 2024-06$/periods = 2023 2024/' test.ini >periods.ini
"$A" check -c periods.ini >/dev/null 2>check.err
st=$?
if [ "$st" -eq 2 ] && grep -q "2 periods for 1 files in \[input.dtks\]" check.err; then
	ok "check refuses periods not matching files (exit 2)"
else
	bad "periods not matching files: exit $st, $(cat check.err)"
fi
sums >sums1
if "$A" run -c test.ini 2>err2; then ok "rerun exits 0"; else bad "rerun: $(cat err2)"; fi
if grep -q 'done in' err2; then bad "rerun ran steps again: $(grep 'done in' err2 | head -3)"; else ok "rerun reuses every step"; fi
sums >sums2
cmp -s sums1 sums2 && ok "rerun outputs byte-identical" || bad "rerun outputs differ: $(diff sums1 sums2 | head -5)"
"$A" run -q --force -c test.ini 2>err3 || bad "forced run: $(cat err3)"
sums >sums3
cmp -s sums1 sums3 && ok "--force outputs byte-identical" || bad "--force outputs differ: $(diff sums1 sums3 | head -5)"
"$A" status -c test.ini >status.txt 2>&1
if grep -q ' rerun ' status.txt; then bad "status after a run wants reruns: $(grep ' rerun ' status.txt | head -2)"; else ok "status: every step up to date"; fi

# 2. Concurrency: hold the lock, a run must exit 75 naming the holder.
# The holder says when it holds (locked) and holds until told (release):
# no sleep decides whether the run comes while the lock is held.
rm -f locked release
( flock -x 9 && echo 4242 >&9 && touch locked &&
  while [ ! -e release ]; do sleep 0.05; done ) 9>>out.runs/lock &
holder=$!
end=$(($(date +%s) + 300))
while [ ! -e locked ] && kill -0 $holder 2>/dev/null &&
      [ "$(date +%s)" -lt $end ]; do
	sleep 0.05
done
[ -e locked ] || bad "the lock holder did not take the lock"
"$A" run -q -c test.ini 2>err4
rc=$?
touch release
wait $holder
rm -f locked release
[ $rc -eq 75 ] && ok "concurrent run exits 75" || bad "concurrent run exited $rc"
grep -q 'pid' err4 && ok "lock message names the holder's pid" || bad "lock message: $(cat err4)"

# 3. kill -9 during each step, then rerun.
target_before=$(readlink out)
steps=$(sed -n 's/^\([a-z_]*:[A-Za-z0-9_]*\) .*/\1/p' status.txt)
for step in $(echo "$steps" | head -40); do
	"$A" run -q --force -c test.ini 2>/dev/null &
	pid=$!
	# Wait until the step starts (its line in the run's log), then kill;
	# a run that ends first is a complete publication (below).
	end=$(($(date +%s) + 300))
	while [ "$(date +%s)" -lt $end ]; do
		if grep -q "^[^ ]* $step: runs" out.runs/tmp-$pid/run.log 2>/dev/null; then
			break
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.01
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ "$(readlink out)" != "$target_before" ]; then
		# The run finished before the kill landed: a complete publication.
		target_before=$(readlink out)
	fi
	sums >sums_k
	cmp -s sums1 sums_k || { bad "after kill -9 in $step the published outputs changed"; continue; }
	ok "kill -9 in $step: published run intact"
done
# ... and at random moments (fixed seed, so the test is repeatable).
for delay in $(awk 'BEGIN { srand(20261128); for (i = 0; i < 6; i++) printf "%.3f\n", rand() * 0.6 }'); do
	"$A" run -q --force -c test.ini 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	sums >sums_k
	if cmp -s sums1 sums_k; then ok "kill -9 after ${delay}s: published run intact"; else bad "kill -9 after ${delay}s changed the published outputs"; fi
done
"$A" run -q -c test.ini 2>err5 || bad "rerun after kills: $(cat err5)"
ls out.runs | grep -q '^tmp-' && bad "stale tmp run dirs remain: $(ls out.runs)" || ok "stale temporary runs cleaned"
sums >sums5
cmp -s sums1 sums5 && ok "rerun after kills equals an uninterrupted run" || bad "outputs differ after kills"

# 4. Write failure.
if [ -e "$BUILD/tests/libfailwrite.so" ]; then
	target=$(readlink out)
	ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$BUILD/tests/libfailwrite.so" \
		ANGKA_FAILWRITE=poverty "$A" run -q --force -c test.ini 2>err6
	rc=$?
	[ $rc -ne 0 ] && ok "write failure exits $rc" || bad "write failure exited 0"
	grep -qi 'no space' err6 && ok "write failure message: $(head -1 err6)" || bad "unclear write-failure message: $(cat err6)"
	[ "$(readlink out)" = "$target" ] && ok "published run unchanged after write failure" || bad "published run changed"
	sums >sums6
	cmp -s sums1 sums6 && ok "published files intact after write failure" || bad "published files changed"
else
	bad "no fault-injection shim at $BUILD/tests/libfailwrite.so"
fi

# 4b. Incremental: the same config file without the 2022 extract, then with
# it again (as a user edits it): only the 2022 steps and the steps downstream
# of the poverty table rerun.
cp test.ini full.ini
awk '/susenas_balangan_2022/ { if ($1 == "files") { sub(/=.*/, "= "); pend = 1; print; next } else next }
	pend && /^ / { sub(/^ +/, ""); pend = 0; print "files = " $0; next } { pend = 0; print }' full.ini |
	sed '/^files = $/d' >test.ini
grep -q 'susenas_balangan_2022' test.ini && bad "incremental: 2022 still in the smaller config"
"$A" run -q -c test.ini 2>err7 || bad "run without 2022: $(cat err7)"
cp full.ini test.ini
"$A" status -c test.ini >status2.txt 2>&1
reruns=$(awk '$2 == "rerun" { print $1 }' status2.txt | tr '\n' ' ')
expect="normalize:susenas_balangan_2022 indicators:susenas_balangan_2022 indicators:poverty indicators:registry trend sae chart "
[ "$reruns" = "$expect" ] && ok "adding a year reruns only: $reruns" || bad "adding a year reruns: '$reruns', expected '$expect'"
"$A" run -q -c test.ini 2>err8 || bad "run with 2022 again: $(cat err8)"
sums >sums8
cmp -s sums1 sums8 && ok "outputs equal the full run again" || bad "outputs differ after the incremental run"

# 5. Privacy.
perm=$(stat -c %a out/private)
[ "$perm" = 500 ] && ok "private/ is 0500 (published runs are read-only)" || bad "private/ is $perm"
loose=$(find -L out/private -type f ! -perm 400 | head -3)
[ -z "$loose" ] && ok "private files are 0400" || bad "private files not 0400: $loose"
# Every NIK and full name of the fixture truth, and the raw NIK column.
awk -F, 'NR > 1 { print $4; print $5 }' "$FIX/dtks/dtks_balangan_2024.truth.csv" | \
	awk 'length($0) >= 8' | LC_ALL=C sort -u >pii.txt
pubs=$(cd -P out && find indicators trend charts run.log manifest.json shared -type f 2>/dev/null | grep -v '\.png$\|\.pdf$')
leak=""
for f in $pubs; do
	case "$f" in shared/*) continue ;; esac
	if grep -F -q -f pii.txt "out/$f"; then leak="$leak $f"; fi
done
[ -z "$leak" ] && ok "no NIK or name in published outputs ($(echo "$pubs" | wc -w) files)" || bad "personal data in:$leak"
if [ -f out/shared/dtks_pseudonim.csv ]; then
	awk -F, 'NR > 1 { print $4 }' "$FIX/dtks/dtks_balangan_2024.truth.csv" | LC_ALL=C sort -u >niks.txt
	if grep -F -q -f niks.txt out/shared/dtks_pseudonim.csv; then bad "pseudonymized extract holds a NIK"; else ok "pseudonymized extract holds no NIK"; fi
fi

# 6. dedup's identity counts reach the manifest and survive a reuse; three
#    rows given a placeholder NIK are counted. On the fixture, counted
#    from the raw extract (fixtures/README.md, situations): rows whose NIK
#    is the repeated-digit placeholder (the sequential 1234567890123456 is
#    no valid NIK and not counted), rows of a NIK on more than 5 rows, rows
#    whose NIK is their No KK. nik_shared (35: the rows of the situation
#    nik_shared; RUSDI / RUSDI BIN ARBAIN of name_form share a NIK too, but
#    their name keys are equal since the key drops the patronymic) and
#    merges_refused (5: one per chain) are dedup's decisions.
idcounts() {
	awk -F';' -v pat="$2" 'NR > 1 && $2 ~ /^[0-9]+$/ { n[$2]++; if ($2 == $3) kk++; if ($2 == pat) p++ }
		END { for (k in n) if (n[k] > 5 && k != pat) many += n[k]
		      printf "\"identity\": {\"nik_pattern\": %d, \"nik_placeholder\": %d, \"nik_is_kk\": %d, \"nik_shared\": 35, \"merges_refused\": 5}", p, many, kk }' "$1"
}
id0=$(idcounts "$FIX/dtks/dtks_balangan_2024.csv" 6311011111111111)
grep -qF "$id0" out/manifest.json && ok "manifest: dedup identity counts ($id0)" || \
	bad "manifest lacks dedup's identity counts $id0: $(grep -o '"identity[^}]*}' out/manifest.json)"
mkdir -p idrun && cd idrun || exit 1
awk -F';' 'BEGIN { OFS = ";" } NR >= 2 && NR <= 4 { $2 = "6311011111111111" } { print }' \
	"$FIX/dtks/dtks_balangan_2024.csv" >dtks.csv
printf '[angka]\noutput_dir = out\n[input.wilayah]\nfiles = %s\n[input.dtks]\nfiles = dtks.csv\n' \
	"$FIX/wilayah/wilayah_kalsel_balangan.csv" >id.ini
if "$A" run -q -c id.ini 2>err; then
	id3=$(idcounts dtks.csv 6311011111111111)
	grep -qF "$id3" out/manifest.json && ok "manifest counts 3 more placeholder NIKs ($id3)" || \
		bad "placeholder NIKs in the manifest: $(grep -o '"identity[^}]*}' out/manifest.json)"
	"$A" run -q -c id.ini 2>err
	grep -qF "$id3" out/manifest.json && ok "identity counts kept when dedup is reused" || \
		bad "reused dedup lost its identity counts: $(grep -o '"identity[^}]*}' out/manifest.json)"
	grep -q 6311011111111111 out/manifest.json out/run.log && bad "placeholder NIK value in manifest or log" || \
		ok "no NIK value in manifest or log"
	# [dedup] decisions: an edited decisions file reruns dedup.
	printf 'a_src_file,a_src_line,b_src_file,b_src_line,keputusan\n' >dec.csv
	printf '[dedup]\ndecisions = dec.csv\n' >>id.ini
	"$A" run -q -c id.ini 2>err || bad "run with a decisions file: $(cat err)"
	"$A" status -c id.ini >st1 2>&1
	printf 'x.csv,1,x.csv,2,beda\n' >>dec.csv
	"$A" status -c id.ini >st2 2>&1
	if ! grep -q 'dedup:dtks.* rerun' st1 && grep -q 'dedup:dtks.* rerun' st2; then
		ok "an edited decisions file reruns dedup"
	else
		bad "decisions file not hashed: $(grep dedup st1 st2)"
	fi
else
	bad "run with placeholder NIKs: $(cat err)"
fi
cd .. || exit 1

# 7. Two DTKS extracts: the fixture as 2023, and as 2024 with three single
#    persons of the truth (one row, no defect) changed: the first removed
#    (hapus), the second's desil changed (ubah), the third moved to the desa
#    of the fixture's first row (pindah). perubahan.csv (private) lists
#    exactly these three; indicators/perubahan_desa.csv is published with
#    the counts at their desa (named from [input.wilayah]) and balances.
mkdir -p chg && cd chg || exit 1
F24=$FIX/dtks/dtks_balangan_2024.csv
picks=$(awk -F, 'NR == FNR { if (FNR > 1) n[$2]++; next }
	FNR > 1 && n[$2] == 1 && $9 == "" && $10 == "" && length($4) == 16 { print $1 }' \
	"$FIX/dtks/dtks_balangan_2024.truth.csv" \
	"$FIX/dtks/dtks_balangan_2024.truth.csv" |
	awk -v f="$F24" 'BEGIN { FS = ";"; while ((getline l < f) > 0) {
		k++; split(l, a, ";"); d[k] = a[13] a[14] } }
	d[$1] != d[2] && ++m <= 3 { print $1 }')
set -- $picks
la=$1 lb=$2 lc=$3
cp "$F24" dtks_2023.csv
awk -F';' -v la="$la" -v lb="$lb" -v lc="$lc" 'BEGIN { OFS = ";" }
	NR == 2 { kec = $13; desa = $14; nkec = $15; ndesa = $16 }
	NR == la { next }
	NR == lb { $22 = $22 == 1 ? 2 : 1 }
	NR == lc { $13 = kec; $14 = desa; $15 = nkec; $16 = ndesa }
	{ print }' "$F24" >dtks_2024.csv
# min_cell 1: every count shown, to check them; the default is checked last.
printf '[angka]\noutput_dir = out\n[input.wilayah]\nfiles = %s\n[input.dtks]\nfiles = dtks_2023.csv dtks_2024.csv\nperiods = 2023 2024\n[registry]\nmin_cell = 1\n' \
	"$FIX/wilayah/wilayah_kalsel_balangan.csv" >chg.ini
if "$A" run -q -c chg.ini 2>err; then
	# Each picked person's old and new desa, from the extracts.
	desa() { awk -F';' -v l="$2" 'NR == l { print "63" "11" $13 $14 }' "$1"; }
	da=$(desa dtks_2023.csv "$la") db=$(desa dtks_2023.csv "$lb")
	dc=$(desa dtks_2023.csv "$lc") dn=$(desa dtks_2023.csv 2)
	# Rows dedup cannot link across the two copies (no NIK and a
	# placeholder name: newborn twins, BAYI NY. ...) are a hapus and a
	# tambah of one cluster id each: left out here, counted below.
	unl=$(awk -F, '$3 == "tambah" { t[$4] = 1 } $3 == "hapus" { h[$4] = 1 }
		END { for (k in t) if (k in h) n++; print n + 0 }' out/private/perubahan.csv)
	got=$(awk -F, 'NR == FNR { if ($3 == "tambah") t[$4] = 1; if ($3 == "hapus") h[$4] = 1; next }
		FNR > 1 && !($4 in t && $4 in h) { print $3 "," $8 "," $9 }' \
		out/private/perubahan.csv out/private/perubahan.csv | LC_ALL=C sort)
	want=$(printf 'hapus,%s,\npindah,%s,%s\nubah,%s,%s\n' "$da" "$dc" "$dn" "$db" "$db" | LC_ALL=C sort)
	[ "$got" = "$want" ] && ok "perubahan.csv: hapus, ubah and pindah of the three changed persons" || \
		bad "perubahan.csv: got '$got', want '$want'"
	P=out/indicators/perubahan_desa.csv
	bal=$(awk -F, 'NR > 1 && $5 + $6 - $7 + $8 - $9 != $10 { print $1 }' $P)
	tot=$(awk -F, -v u="$unl" '$1 == "total" { print $6 - u "," $7 - u "," $8 "," $9 "," $11 "," $5 - $10 }' $P)
	[ -z "$bal" ] && [ "$tot" = "0,1,1,1,1,1" ] && ok "perubahan_desa.csv published, balanced, totals 0 tambah, 1 hapus, 1 pindah, 1 ubah (+ $unl unlinked)" || \
		bad "perubahan_desa.csv: unbalanced '$bal', totals '$tot' ($unl unlinked)"
	# Published codes are dotted (63.11.01.2001), perubahan.csv's are not.
	cnt() { awk -F, -v d="$1" -v c="$2" '{ k = $1; gsub(/\./, "", k) } k == d { print $c }' $P; }
	if [ "$(cnt "$da" 7)" -ge 1 ] && [ "$(cnt "$db" 11)" -ge 1 ] &&
	   [ "$(cnt "$dc" 9)" -ge 1 ] && [ "$(cnt "$dn" 8)" -ge 1 ] &&
	   [ -n "$(cnt "$dn" 2)" ]; then
		ok "perubahan_desa.csv counts each change at its desa, with its name"
	else
		bad "perubahan_desa.csv: $(grep -E "^($da|$db|$dc|$dn)," $P)"
	fi
	awk -F';' 'NR > 1 { print $2; print $4 }' "$F24" | awk 'length($0) >= 8' | LC_ALL=C sort -u >pii.txt
	grep -F -q -f pii.txt $P && bad "personal data in perubahan_desa.csv" || ok "no NIK or name in perubahan_desa.csv"
	[ "$(stat -c %a out/private/perubahan.csv)" = 400 ] && ok "perubahan.csv is 0400" || bad "perubahan.csv not 0400"
	# The default min_cell (5): no desa count from 1 to 4 is published,
	# and no row or column lets one be computed back.
	"$BUILD/angka-dedup" -q -o u.csv --perubahan-desa pd5.csv \
		out/private/normalized/dtks*.csv 2>err5
	small=$(awk -F, 'NR > 1 && $1 != "total" { for (i = 5; i <= 11; i++)
		if ($i != "" && $i > 0 && $i < 5) print $1 ":" i }' pd5.csv | head -3)
	one=$(awk -F, 'NR > 1 && $1 != "total" { h = 0
		for (i = 5; i <= 10; i++) h += ($i == ""); if (h == 1) print $1 }' pd5.csv | head -3)
	col=$(awk -F, 'NR > 1 && $1 != "total" { for (i = 5; i <= 11; i++) h[i] += ($i == "") }
		END { for (i = 5; i <= 11; i++) if (h[i] == 1) print i }' pd5.csv)
	hid=$(grep -c disembunyikan pd5.csv)
	[ -s pd5.csv ] && [ -z "$small$one$col" ] && [ "$hid" -gt 0 ] && \
		ok "default min_cell: $hid desa rows with hidden cells, none 1-4 shown or derivable by one row or column" || \
		bad "perubahan_desa suppression: small '$small', single in row '$one', single in column '$col', hidden rows $hid: $(cat err5)"
else
	bad "run with two DTKS periods: $(cat err)"
fi
cd .. || exit 1

# 8. The report (issue 16), read back by readers independent of angka.
R=$ROOT/tests/tools/check_report.py
report() {
	python3 "$R" out "$1" >rep.out 2>&1
	st=$?
	while IFS= read -r l; do
		case $l in "ok - "*) ok "${l#ok - }" ;; "FAIL - "*) bad "${l#FAIL - }" ;; esac
	done <rep.out
	[ $st -eq 0 ] || grep -q '^FAIL' rep.out || bad "check_report.py $1: $(tail -3 rep.out)"
}
report id
python3 "$ROOT/tests/tools/xlsx_read.py" dump out/tabel/kemiskinan.xlsx >tabel.txt
grep -F -q -f pii.txt out/ringkasan.html tabel.txt && bad "personal data in ringkasan.html or tabel/" || \
	ok "no NIK or name in ringkasan.html or tabel/kemiskinan.xlsx"
[ "$(stat -c %a out/tabel/kemiskinan.xlsx)" = 444 ] && [ "$(stat -c %a out/private/duplicates.xlsx)" = 400 ] && \
	ok "tabel/ published 0444, clerk workbooks private 0400" || bad "report file modes"
"$A" run -c test.ini 2>err9 || bad "run for the console summary: $(cat err9)"
if tail -n 8 err9 | grep -q 'orang unik' && tail -n 8 err9 | grep -q 'NIK rusak oleh Excel' &&
   tail -n 1 err9 | grep -q 'ringkasan.html'; then
	ok "console ends with the findings ($(grep -c '^angka: - ' err9) things to do)"
else
	bad "console summary: $(tail -n 8 err9)"
fi
grep -F -q -f pii.txt err9 && bad "personal data on the console" || ok "no NIK or name on the console"
# The console counts quarantined rows without the title rows before a
# table's header (reason preamble), which ringkasan.html lists apart.
set -- $(python3 -c '
import csv, glob, sys
r = [x["reason"] for f in glob.glob("out/private/quarantine/*.csv")
     for x in csv.DictReader(open(f, newline="", encoding="utf-8"))]
print(len(r) - r.count("preamble") - r.count("footer_note"), r.count("preamble"))')
if [ "${2:-0}" -gt 0 ] && { [ "$1" -eq 0 ] && ! grep -q 'dikarantina' err9 ||
                            grep -q "^angka: - $1 baris dikarantina" err9; }; then
	ok "console: $1 rows quarantined, the $2 title rows before a header not among them"
else
	bad "console quarantine count (want ${1:-?} without ${2:-?} preamble rows): $(grep dikarantina err9)"
fi
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$BROWSER" ]; then
	timeout 300 "$BROWSER" --headless --no-sandbox --disable-gpu --dump-dom \
		"file://$(cd -P out && pwd)/ringkasan.html" >dom.html 2>/dev/null
	[ "$(grep -o '<svg' dom.html | wc -l)" -ge 1 ] && grep -q 'penduduk miskin' dom.html && \
		ok "ringkasan.html renders in $(basename "$BROWSER") with its charts" || bad "ringkasan.html in $BROWSER"
else
	echo "# no headless browser (chromium) installed: rendering not checked"
fi
sed 's/^retention = 2$/retention = 2\nlang = en/' test.ini >en.ini
"$A" run -c en.ini 2>err10 || bad "run with [run] lang = en: $(cat err10)"
report en
tail -n 8 err10 | grep -q 'unique persons' && ok "console summary in English with lang = en" || \
	bad "English console summary: $(tail -n 8 err10)"


# 9. [output] csv = excel-id. The default publishes no copies.
[ ! -e out/excel ] && ok "csv = rfc4180 (default): no excel/ copies" || bad "excel/ without [output] csv"
printf '\n[output]\ncsv = excel\n' >>test.ini
line=$(grep -n '^csv = excel$' test.ini | cut -d: -f1)
"$A" check -c test.ini >/dev/null 2>check.err
st=$?
if [ "$st" -eq 2 ] && grep -q "test.ini':$line: bad value 'excel' for 'csv' in \[output\]" check.err; then
	ok "check names a bad [output] csv with file:line (exit 2)"
else
	bad "check with csv = excel: exit $st, $(cat check.err)"
fi
sed -i 's/^csv = excel$/csv = excel-id/' test.ini
if "$A" run -q -c test.ini 2>err11; then
	# The published tables, listed independently of angka.
	(cd -P out && find . -name '*.csv' ! -name '.*' ! -path './private/*' \
		! -path './shared/*' ! -path './excel/*' | LC_ALL=C sort) >tables.txt
	(cd -P out/excel && find . -name '*.csv' | LC_ALL=C sort) >copies.txt
	if [ "$(wc -l <tables.txt)" -ge 10 ] && cmp -s tables.txt copies.txt; then
		ok "excel/ has a copy of each of the $(wc -l <tables.txt) published tables"
	else
		bad "excel/ copies: $(diff tables.txt copies.txt | head -5)"
	fi
	python3 - out >xl.out 2>&1 <<'PY'
import csv, io, re, sys
out = sys.argv[1]
num = re.compile(r'-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
bad = []
cells = nums = 0
for rel in open('tables.txt').read().split():
    a = open(f'{out}/{rel}', 'rb').read()
    b = open(f'{out}/excel/{rel}', 'rb').read()
    if not b.startswith(b'\xef\xbb\xbf'):
        bad.append(f'{rel}: no BOM'); continue
    ra = list(csv.reader(io.StringIO(a.decode('utf-8'), newline='')))
    rb = list(csv.reader(io.StringIO(b[3:].decode('utf-8'), newline=''), delimiter=';'))
    if len(ra) != len(rb) or not ra:
        bad.append(f'{rel}: {len(ra)} rows, copy {len(rb)}'); continue
    if len(ra[0]) > 1 and b[3:].split(b'\n')[0].count(b';') != len(ra[0]) - 1:
        bad.append(f'{rel}: header not separated by ;'); continue
    hdr = ra[0]
    for i, (x, y) in enumerate(zip(ra, rb)):
        if len(x) != len(y):
            bad.append(f'{rel}:{i + 1}: {len(x)} fields, copy {len(y)}'); break
        for c, (u, v) in enumerate(zip(x, y)):
            cells += 1
            if i and num.match(u) and '.' in u and not hdr[c].startswith('kode_'):
                nums += 1
                if ('.' in v or float(v.replace(',', '.')) != float(u)
                        or v != u.replace('.', ',')):
                    bad.append(f'{rel}:{i + 1}: {hdr[c]} {u} -> {v}')
            elif u != v:
                bad.append(f'{rel}:{i + 1}: {hdr[c]} {u!r} -> {v!r}')
print(f'{cells} cells, {nums} decimal numbers')
print('\n'.join(bad[:5]))
sys.exit(1 if bad or not nums else 0)
PY
	if [ $? -eq 0 ]; then
		ok "excel-id copies: BOM, ';', every number equal with a decimal comma, codes and text as they were ($(head -1 xl.out))"
	else
		bad "excel-id copies: $(cat xl.out)"
	fi
	[ "$(stat -c %a out/excel/indicators/poverty.csv)" = 444 ] && \
		ok "excel/ copies published 0444" || bad "excel/ copy mode"
else
	bad "run with [output] csv = excel-id: $(cat err11)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
