/*
 * publish.c - the publication form of a stage's tables (publish.h).
 */
#include "publish.h"
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
	struct angka_region_table *t = NULL;
	if (wilayah) {
		enum angka_err rc = angka_region_load(&t, wilayah, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	angka_region_free(regions_set);
	regions_set = t;
	dialect_set = d;
	return ANGKA_OK;
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
