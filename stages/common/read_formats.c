/*
 * read_formats.c - what the CSV reader must know of a stream that input.c
 * converted (see csv_reader.h): its one hook into the format readers;
 * and angka-ingest --describe.
 */
#include "csv_reader.h"
#include "input.h"
#include "input_int.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void angka_csv_reader_converted(const struct angka_input *in, char *delim,
                                enum angka_encoding *enc)
{
	enum angka_input_kind k = angka_input_kind(in);
	if (k == ANGKA_IN_TEXT)
		return;
	*enc = ANGKA_ENC_UTF8;
	if (k != ANGKA_IN_UTF16LE && k != ANGKA_IN_UTF16BE)
		*delim = ',';
}

enum angka_err angka_input_describe(const char *path, FILE *out,
                                    struct angka_error *e)
{
	int k = angka_input_sniff_path(path, e);
	if (k < 0)
		return e->code;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (k != ANGKA_IN_TEXT && k != ANGKA_IN_XLSX) {
		int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
		                                 : open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", name);
		char msg[512];
		int rc = angka_stat_describe(fd, name, (enum angka_input_kind)k, out,
		                             msg, sizeof msg);
		close(fd);
		return rc ? ANGKA_ERR(e, ANGKA_EDATA, "%s", msg) : ANGKA_OK;
	}
	/* Text and .xlsx: the columns of the first row. */
	struct angka_csv_reader *r;
	enum angka_err rc = angka_csv_reader_open(&r, path, NULL, e);
	if (rc != ANGKA_OK)
		return rc;
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got < 0) {
		angka_csv_reader_free(r);
		return e->code;
	}
	enum angka_input_kind kind = angka_csv_reader_kind(r);
	fprintf(out, "Contains data from %s (%s)\n", name,
	        angka_input_kind_name(kind));
	fprintf(out, "     Variables: %zu (the first row)\n\nVariable\n",
	        got ? rec->nfields : 0);
	for (size_t i = 0; got && i < rec->nfields; i++)
		fprintf(out, "%s\n", rec->field[i]);
	angka_csv_reader_free(r);
	if (fflush(out) || ferror(out))
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write the description:");
	return ANGKA_OK;
}
