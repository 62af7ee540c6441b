/*
 * fuzz_dedup_recs.c - libFuzzer target for angka-dedup's recs loader
 * (--recs, recs.c) and the passes after it. FUZZ_STAGE: dedup
 *
 * Input: a recs file of the fixed part below (the seed is the one
 * --recs-out writes). The part's size, time and fingerprint fields and the
 * checksum are repaired before the load, so that the mutations reach the
 * layout, interner and row checks rather than stopping at the checksum.
 * Checked: no crash or sanitizer report; on success unique + duplicates =
 * rows in; on an error a message.
 */
#include "fuzz_mem.h"
#include "dedup.h"
#include "ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static const char part_csv[] =
	"src_file,src_line,nik,nik_status,no_kk,kk_status,nama_kunci,nama,"
	"jenis_kelamin,tgl_lahir,kode_wilayah,hub_krt,tgl_update,flags,periode\n"
	"a.csv,2,6311015507700002,valid,6311012010110020,valid,SITI AMINAH,"
	"SITI AMINAH,P,1970-07-15,6311012020,1,2023-06-26,,2023\n"
	"a.csv,3,6311015507700002,valid,6311012010110020,valid,SITI AMINAH,"
	"SITI AMINAH,P,1970-07-15,6311012021,1,2024-01-02,x|y,2024\n"
	"a.csv,4,1111111111111111,valid,6311012010110020,valid,BUDI,BUDI,L,"
	"1968-01-01,6311012020,2,,,2024\n"
	"b.csv,7,,,,,SITI AMINA,\"SITI, AMINA\",P,1970-07-15,6311012020,,,,2023\n";

static char dir[64], part[96], good[96];
static unsigned char head[48];   /* the valid recs' first 48 bytes */

static void cleanup(void)
{
	unlink(part);
	unlink(good);
	rmdir(dir);
}

static void setup(void)
{
	strcpy(dir, "/tmp/angka-fuzz-recs.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(part, sizeof part, "%s/part.csv", dir);
	snprintf(good, sizeof good, "%s/good.recs", dir);
	atexit(cleanup);
	FILE *f = fopen(part, "wb");
	CHECK(f && fwrite(part_csv, 1, sizeof part_csv - 1, f) ==
	      sizeof part_csv - 1 && fclose(f) == 0);
	struct dedup_settings s;
	struct angka_error e = { 0 };
	CHECK(dedup_settings_load(&s, NULL, &e) == ANGKA_OK);
	s.threads = 1;
	struct dedup_opts o = { 0 };
	o.in = part;
	o.quiet = 1;
	o.recs_out = good;
	struct dedup_stats st;
	CHECK(dedup_run(&o, &s, &st, &e) == ANGKA_OK);
	f = fopen(good, "rb");
	CHECK(f && fread(head, 1, sizeof head, f) == sizeof head);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		setup();
	fuzz_mem_quiet_stdout();
	unsigned char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	if (size >= sizeof head + 8) {
		/* part_size, part_fp, the part's time: bytes 16..48. */
		memcpy(buf + 16, head + 16, 32);
		uint64_t sum = dedup_recs_checksum(buf, size - 8);
		memcpy(buf + size - 8, &sum, 8);
	}
	struct dedup_settings s;
	struct angka_error e = { 0 };
	if (dedup_settings_load(&s, NULL, &e) != ANGKA_OK)
		abort();
	s.threads = 1;
	s.max_pairs_per_block = 50;
	s.max_pairs = 2000;
	const char *recs[1] = { fuzz_mem_path(0, buf, size) };
	const char *parts[1] = { part };
	free(buf);
	struct dedup_opts o = { 0 };
	o.recs = recs;
	o.nrecs = 1;
	o.parts = parts;
	o.nparts = 1;
	o.in = part;
	o.quiet = 1;
	struct dedup_stats st;
	memset(&st, 0, sizeof st);
	enum angka_err rc = dedup_run(&o, &s, &st, &e);
	if (rc == ANGKA_OK)
		CHECK(st.unique + st.duplicates == st.rows_in);
	else
		CHECK(e.msg[0] != '\0');
	return 0;
}
