/*
 * publish.c - the publication form of a stage's tables (publish.h).
 */
#include "publish.h"
#include "csv_reader.h"
#include "diag.h"
#include "region.h"

#include <stddef.h>
#include <string.h>

static enum angka_csv_dialect dialect_set = ANGKA_CSV_RFC4180;
static struct angka_region_table *regions_set;

enum angka_err angka_publish_set(const char *dialect, const char *wilayah,
                                 struct angka_error *e)
{
	enum angka_csv_dialect d = ANGKA_CSV_RFC4180;
	if (dialect && angka_csv_dialect_from_name(dialect, &d) != 0)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "--csv: '%s' is not rfc4180 or "
		                 "excel-id", dialect);
	enum angka_err rc = angka_publish_set_regions(wilayah, e);
	if (rc != ANGKA_OK)
		return rc;
	dialect_set = d;
	return ANGKA_OK;
}

enum angka_err angka_publish_set_regions(const char *wilayah,
                                         struct angka_error *e)
{
	struct angka_region_table *t = NULL;
	if (wilayah) {
		enum angka_err rc = angka_region_load(&t, wilayah, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	angka_publish_take_regions(t);
	return ANGKA_OK;
}

void angka_publish_take_regions(struct angka_region_table *t)
{
	angka_region_free(regions_set);
	regions_set = t;
}

const struct angka_region_table *angka_publish_regions(void)
{
	return regions_set;
}

void angka_publish_apply(struct angka_csv_writer *w)
{
	angka_csv_writer_publish(w, dialect_set, regions_set);
}

enum angka_csv_dialect angka_publish_dialect(void)
{
	return dialect_set;
}

void angka_publish_free(void)
{
	angka_region_free(regions_set);
	regions_set = NULL;
	dialect_set = ANGKA_CSV_RFC4180;
}

int angka_publish_main(const char *dialect, const char *wilayah)
{
	struct angka_error e = { 0 };
	if (angka_publish_set(dialect, wilayah, &e) != ANGKA_OK)
		return angka_report(&e);
	return 0;
}

enum angka_err angka_publish_excel_copy(const char *src, const char *dst,
                                        unsigned long long *rows,
                                        struct angka_error *e)
{
	struct angka_csv_opts o = { 0 };
	o.delim = ',';
	o.encoding = ANGKA_ENC_UTF8;
	struct angka_csv_reader *r = NULL;
	enum angka_err rc = angka_csv_reader_open(&r, src, &o, e);
	if (rc != ANGKA_OK)
		return rc;
	struct angka_csv_writer *w = NULL;
	if ((rc = angka_csv_writer_open(&w, dst, 0, e)) != ANGKA_OK) {
		angka_csv_reader_free(r);
		return rc;
	}
	angka_csv_writer_publish(w, ANGKA_CSV_EXCEL_ID, NULL);
	const struct angka_csv_record *rec;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		for (size_t i = 0; i < rec->nfields; i++)
			angka_csv_writer_field(w, rec->field[i], rec->len[i]);
		angka_csv_writer_end_row(w);
	}
	if (got == 0)
		rc = angka_csv_reader_close(r, e);
	else
		angka_csv_reader_free(r);
	if (got < 0 || rc != ANGKA_OK) {
		angka_csv_writer_abort(w);
		return got < 0 ? e->code : rc;
	}
	if (rows)
		*rows = angka_csv_writer_rows(w);
	return angka_csv_writer_commit(w, e);
}
