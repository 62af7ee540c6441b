#!/bin/sh
# check-utf16.sh BUILD - an Excel "Unicode Text" export (UTF-16) of the
# DTKS fixture reads as the same rows as the CSV (issue 16): the fixture is
# converted with iconv at test time to UTF-16LE with its BOM (as Excel
# writes it) and UTF-16BE without a BOM, then angka-ingest's output and quarantine must equal those of the
# original byte for byte (each file is read under the same name). The
# fixture has Windows-1252 rows among UTF-8 ones (which ingest transcodes):
# perl's Encode makes them UTF-8 before iconv, as Excel would have them.
set -eu
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
F=$ROOT/fixtures/dtks/dtks_balangan_2024.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ingest() { # DIR: ingest DIR/dtks.csv as dtks.csv
	(cd "$1" && "$BUILD/angka-ingest" --kind dtks -o out.csv \
		--quarantine q.csv dtks.csv 2>err.txt)
}
mkdir "$T/utf8" "$T/le" "$T/be"
cp "$F" "$T/utf8/dtks.csv"
perl -MEncode -ne 'my $l = $_;
	eval { $l = Encode::decode("UTF-8", $_, Encode::FB_CROAK); 1 } or
		$l = Encode::decode("cp1252", $_);
	print Encode::encode("UTF-8", $l)' "$F" > "$T/clean.csv"
iconv -f UTF-8 -t UTF-16LE "$T/clean.csv" > "$T/le/dtks.csv"
# Without the BOM: detected from the NUL bytes.
sed '1s/^\xEF\xBB\xBF//' "$T/clean.csv" | iconv -f UTF-8 -t UTF-16BE > "$T/be/dtks.csv"
head -c 2 "$T/le/dtks.csv" | od -An -tx1 | grep -q 'ff fe' ||
	{ echo "FAIL - iconv wrote no BOM"; fail=1; }
ingest "$T/utf8"
for d in le be; do
	ingest "$T/$d"
	for f in out.csv q.csv; do
		if cmp -s "$T/utf8/$f" "$T/$d/$f"; then
			echo "ok - UTF-16 ($d) $f equals the UTF-8 run's"
		else
			echo "FAIL - UTF-16 ($d) $f differs"; diff "$T/utf8/$f" "$T/$d/$f" | head -5
			fail=1
		fi
	done
done
rows=$(($(wc -l < "$T/utf8/out.csv") - 1))
[ "$rows" -gt 100 ] || { echo "FAIL - only $rows rows"; fail=1; }
echo "rows: $rows"
exit $fail
