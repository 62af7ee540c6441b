/*
 * quarantine.c - quarantine rows and the table of reason codes.
 */
#include "quarantine.h"
#include "csv_writer.h"

#include <stdlib.h>
#include <string.h>

const struct angka_reason angka_reasons[] = {
	{ "field_count", "the row has a different number of fields than the header" },
	{ "preamble", "a row before the header (title or note of a published table)" },
	{ "footer_note", "a note after the last data row (\"Sumber: ...\", \"Catatan: ...\" under a published table)" },
	{ "encoding", "bytes that are not valid UTF-8 where the profile requires UTF-8" },
	{ "nul_byte", "a field contains a NUL byte" },
	{ "nik_length", "NIK does not have 16 digits" },
	{ "nik_excel_mangled", "NIK damaged by Excel (scientific notation or 15-digit truncation)" },
	{ "nik_province", "NIK starts with an unknown province code" },
	{ "nik_date", "NIK birth-date digits are not a valid date" },
	{ "nik_serial", "NIK serial number is 0000" },
	{ "date_unparseable", "a date in no known format" },
	{ "number_unparseable", "a number in no known format" },
	{ "value_range", "a value outside its valid range" },
	{ "missing_value", "a required value is empty" },
	{ "region_unknown", "a region code or name not in the region table" },
	{ "region_ambiguous", "a region name that matches several regions" },
	{ "code_unknown", "a coded value outside its documented values" },
	{ "commodity_unknown", "a consumption row whose commodity is not in the calorie or basic-needs ratio table" },
	{ "household_unknown", "a consumption row whose household (URUT) is not in the SUSENAS file" },
	{ "quantity_missing", "a food value without a quantity: no unit value" },
	{ "nik_chars", "NIK contains characters other than digits and separators" },
	{ "nik_maybe_truncated", "flag: valid NIK read from a float export that may have lost its last digit (ends in 0, or above 2^53)" },
	{ "kk_length", "No KK does not have 16 digits" },
	{ "kk_chars", "No KK contains characters other than digits and separators" },
	{ "kk_province", "No KK starts with an unknown province code" },
	{ "kk_excel_mangled", "No KK damaged by Excel (scientific notation)" },
	{ "kk_maybe_truncated", "flag: valid No KK read from a float export that may have lost its last digit" },
	{ "sex_conflict", "flag: sex differs from the one encoded in the NIK" },
	{ "date_conflict", "flag: birth date differs from the one encoded in the NIK" },
	{ "region_missing", "flag: no region given down to desa/kelurahan" },
	{ "nik_punct", "fix: spaces, dots, dashes or a leading apostrophe removed from the NIK" },
	{ "kk_punct", "fix: spaces, dots, dashes or a leading apostrophe removed from the No KK" },
	{ "nik_from_float", "fix: NIK written as a float with a zero fraction (6311013008731179.0) read from its 16 digits" },
	{ "kk_from_float", "fix: No KK written as a float with a zero fraction read from its 16 digits" },
	{ "name_title", "fix: titles (gelar) removed from the name into gelar" },
	{ "nama_placeholder", "flag: placeholder name (BAYI NY. X, TIDAK ADA, NN, -): empty nama_kunci, never name evidence" },
	{ "name_spaces", "fix: white space in the name trimmed or collapsed" },
	{ "sex_label", "fix: sex label (1/2, LAKI-LAKI, p, ...) written as L/P" },
	{ "sex_from_nik", "fix: empty sex taken from the NIK" },
	{ "date_swapped", "fix: day and month swapped back (month-first date)" },
	{ "date_text_month", "fix: date with a month name written as YYYY-MM-DD" },
	{ "date_excel_serial", "fix: Excel serial day number written as YYYY-MM-DD" },
	{ "date_from_nik", "fix: empty or placeholder birth date taken from the NIK" },
	{ "date_placeholder", "flag: placeholder birth date (1900-01-01, 1970-01-01, Excel serial 0/1, zeros) emptied, no valid NIK to take it from" },
	{ "region_by_name", "fix: region code resolved from region names" },
	{ "region_code_padded", "fix: leading zeros of a region code restored" },
	{ NULL, NULL }
};

int angka_reason_known(const char *code)
{
	for (const struct angka_reason *r = angka_reasons; r->code; r++)
		if (strcmp(r->code, code) == 0)
			return 1;
	return 0;
}

enum angka_err angka_quarantine_open(struct angka_quarantine *q,
                                     const char *path, const char *stage,
                                     struct angka_error *e)
{
	return angka_quarantine_open_header(q, path, stage, 1, e);
}

enum angka_err angka_quarantine_open_header(struct angka_quarantine *q,
                                            const char *path,
                                            const char *stage, int header,
                                            struct angka_error *e)
{
	memset(q, 0, sizeof *q);
	q->stage = stage;
	if (!path)
		return ANGKA_OK;
	enum angka_err rc = angka_csv_writer_open(&q->w, path,
	                                          ANGKA_CSV_WRITER_PRIVATE, e);
	if (rc != ANGKA_OK)
		return rc;
	static const char *const hdr[] = { "src_file", "src_line", "stage", "field",
	                                   "reason", "detail", "raw" };
	if (header)
		angka_csv_writer_row(q->w, 7, hdr);
	return ANGKA_OK;
}

void angka_quarantine_add(struct angka_quarantine *q, const char *src_file,
                          long src_line, const char *field, const char *reason,
                          const char *detail, const char *raw,
                          const struct angka_csv_record *rec, char delim)
{
	q->rows++;
	if (!q->w)
		return;
	/* A file a clerk opens: text that a spreadsheet would run as a
	 * formula gets a leading apostrophe (src_file and raw). */
	angka_csv_writer_text(q->w, src_file, src_file ? strlen(src_file) : 0);
	angka_csv_writer_long(q->w, src_line);
	angka_csv_writer_str(q->w, q->stage);
	angka_csv_writer_str(q->w, field);
	angka_csv_writer_str(q->w, reason);
	angka_csv_writer_str(q->w, detail);
	if (raw || !rec) {
		angka_csv_writer_text(q->w, raw, raw ? strlen(raw) : 0);
	} else {
		/* Re-join with delim, quoting a field that holds delim, a quote
		 * or a line end, so the raw text parses back to the fields. */
		size_t n = 0;
		for (size_t i = 0; i < rec->nfields; i++)
			n += 2 * rec->len[i] + 3;
		char *buf = malloc(n + 1);
		if (!buf) {
			angka_csv_writer_str(q->w, "");
		} else {
			size_t o = 0;
			for (size_t i = 0; i < rec->nfields; i++) {
				const char *f = rec->field[i];
				size_t len = rec->len[i];
				if (i)
					buf[o++] = delim;
				int quote = (delim && memchr(f, delim, len)) ||
				            memchr(f, '"', len) || memchr(f, '\n', len) ||
				            memchr(f, '\r', len);
				if (quote) {
					o += angka_csv_quote(f, len, 1, buf + o);
					continue;
				}
				memcpy(buf + o, f, len);
				o += len;
			}
			angka_csv_writer_text(q->w, buf, o);
			free(buf);
		}
	}
	angka_csv_writer_end_row(q->w);
}

enum angka_err angka_quarantine_commit(struct angka_quarantine *q,
                                       struct angka_error *e)
{
	if (!q->w)
		return ANGKA_OK;
	enum angka_err rc = angka_csv_writer_commit(q->w, e);
	q->w = NULL;
	return rc;
}

void angka_quarantine_abort(struct angka_quarantine *q)
{
	angka_csv_writer_abort(q->w);
	q->w = NULL;
}

enum angka_err angka_check_balance(uint64_t in, uint64_t out,
                                   uint64_t quarantined, uint64_t duplicates,
                                   struct angka_error *e)
{
	if (in == out + quarantined + duplicates)
		return ANGKA_OK;
	return ANGKA_ERR(e, ANGKA_EBALANCE,
	                 "row counts do not balance: in %llu, out %llu, "
	                 "quarantined %llu, duplicates %llu",
	                 (unsigned long long)in, (unsigned long long)out,
	                 (unsigned long long)quarantined,
	                 (unsigned long long)duplicates);
}

enum angka_err angka_check_not_all_quarantined(const char *what,
                                               const char *kind,
                                               uint64_t rows_in,
                                               uint64_t rows_out,
                                               const char *reason,
                                               uint64_t reason_rows,
                                               struct angka_error *e)
{
	if (rows_in == 0 || rows_out > 0)
		return ANGKA_OK;
	const char *cause;
	if (!reason)
		cause = "unknown";
	else if (strcmp(reason, "field_count") == 0)
		cause = "the delimiter or the quoting: the rows do not have the "
		        "header's number of fields (give --delimiter or "
		        "[profile.KIND] delimiter)";
	else if (strcmp(reason, "encoding") == 0 ||
	         strcmp(reason, "nul_byte") == 0)
		cause = "the encoding: the text is not UTF-8 (UTF-32, a binary "
		        "file, or encoding = utf-8 for Windows-1252 text)";
	else
		cause = "the kind of file: no row passes the checks of this kind "
		        "(is it the right file, and do its columns map to the "
		        "right canonical columns?)";
	return ANGKA_ERR(e, ANGKA_EDATA,
	                 "%s: every data row (%llu) was quarantined, most for "
	                 "'%s' (%llu), kind '%s'; likely cause: %s", what,
	                 (unsigned long long)rows_in, reason ? reason : "?",
	                 (unsigned long long)reason_rows, kind, cause);
}
