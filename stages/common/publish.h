/*
 * publish.h - the form of the tables a person opens (published aggregates:
 * indicators, registry, programme, household, trend and sae tables),
 * chosen once per stage from its command line (--csv, --wilayah) and
 * applied to each such writer (angka_csv_writer_publish in csv_writer.h):
 * region codes dotted, a nama_wilayah column with --wilayah, and the CSV
 * dialect (rfc4180, or excel-id for an Indonesian-locale Excel).
 *
 * Ownership: the region table is owned here from angka_publish_set until
 * angka_publish_free. Private and machine-read files (normalized rows,
 * unique persons, partial sums, chart data) never use it.
 */
#ifndef ANGKA_PUBLISH_H
#define ANGKA_PUBLISH_H

#include "csv_writer.h"
#include "err.h"

/*
 * dialect: NULL (rfc4180), "rfc4180" or "excel-id" (else ANGKA_EUSAGE);
 * wilayah: NULL or a region table CSV (angka_region_load) whose names
 * fill nama_wilayah. Replaces an earlier setting.
 */
enum angka_err angka_publish_set(const char *dialect, const char *wilayah,
                                 struct angka_error *e);
/* Only the region table (NULL: none), the dialect kept: for a stage that
 * loads it when its first published table is opened, not at start. */
enum angka_err angka_publish_set_regions(const char *wilayah,
                                         struct angka_error *e);
/* angka_publish_set_regions with a table loaded already (say on a thread
 * of its own, angka_region_loader_take): t (NULL: none) is owned here
 * from now on. */
void angka_publish_take_regions(struct angka_region_table *t);
/* The region table set (NULL: none), owned here: for a stage that also
 * looks names up itself, without loading the table a second time. */
const struct angka_region_table *angka_publish_regions(void);
/* Put w (just opened) in the publication form. */
void angka_publish_apply(struct angka_csv_writer *w);
/* The dialect chosen (for a stage that writes its tables itself). */
enum angka_csv_dialect angka_publish_dialect(void);
void angka_publish_free(void);
/* angka_publish_set for a stage's main(): 0, or the exit status of the
 * error it printed (angka_report). */
int angka_publish_main(const char *dialect, const char *wilayah);

/*
 * Copy the RFC 4180 table src (as a stage published it) to dst in the
 * excel-id dialect: the same fields through the publication form
 * (UTF-8 BOM, ';', a decimal comma in numbers with a decimal point,
 * columns kode_* untouched), written atomically (csv_writer.h). For the
 * driver's [output] csv = excel-id copies; the steps themselves keep
 * writing RFC 4180 because later steps and runs read their tables.
 * *rows gets the rows copied (header included) if rows is not NULL.
 */
enum angka_err angka_publish_excel_copy(const char *src, const char *dst,
                                        unsigned long long *rows,
                                        struct angka_error *e);

/* The --help lines of --csv and --wilayah, the same in every stage. */
#define ANGKA_PUBLISH_USAGE \
	"      --csv DIALECT           published tables as rfc4180 (default) or\n" \
	"                              excel-id (';', decimal comma, UTF-8 BOM)\n" \
	"      --wilayah FILE          region table: nama_wilayah beside\n" \
	"                              kode_wilayah (codes always dotted)\n"

#endif
