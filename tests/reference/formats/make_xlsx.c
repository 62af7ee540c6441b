/*
 * make_xlsx.c - writes dtks.xlsx for the .xlsx golden cases with
 * libxlsxwriter (an independent writer; Debian libxlsxwriter-dev), or, with
 * N, a DTKS-like sheet of N rows to stdout's file for the memory check:
 *
 *   cc -o make_xlsx make_xlsx.c -lxlsxwriter && ./make_xlsx dtks.xlsx
 *   ./make_xlsx big.xlsx 1000000
 *
 * dtks.xlsx, sheet "DTKS": the DTKS header, NIK and No KK stored as
 * numbers (one Papua NIK above 2^53, which a double cannot hold), birth
 * dates as date cells (dd/mm/yyyy), shared strings with a comma, a quote
 * and non-ASCII letters, an empty cell, a skipped row (row 5); a second
 * sheet "Catatan" for --sheet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

static const char *const header[] = {
	"IDARTBDT", "NIK", "NO_KK", "NAMA", "JNS_KEL", "TMP_LAHIR", "TGL_LAHIR",
	"ALAMAT", "RT", "RW", "KDPROP", "KDKAB", "KDKEC", "KDDESA", "NAMA_KEC",
	"NAMA_DESA", "HUB_KRT", "PKH", "BPNT", "PBI", "KIP", "DESIL",
	"TGL_UPDATE"
};
enum { NCOL = sizeof header / sizeof *header };

struct person {
	double id, nik, kk;
	const char *nama, *jk, *tmp;
	int y, m, d;
	const char *alamat;
};

static void row(lxw_worksheet *ws, lxw_format *date, int r,
                const struct person *p)
{
	worksheet_write_number(ws, r, 0, p->id, NULL);
	if (p->nik)
		worksheet_write_number(ws, r, 1, p->nik, NULL);
	worksheet_write_number(ws, r, 2, p->kk, NULL);
	worksheet_write_string(ws, r, 3, p->nama, NULL);
	worksheet_write_string(ws, r, 4, p->jk, NULL);
	worksheet_write_string(ws, r, 5, p->tmp, NULL);
	lxw_datetime dt = { p->y, p->m, p->d, 0, 0, 0 };
	worksheet_write_datetime(ws, r, 6, &dt, date);
	worksheet_write_string(ws, r, 7, p->alamat, NULL);
	const char *rest[] = { "012", "002", "63", "11", "01", "2015", "JUAI",
	                       "HUKAI" };
	for (int i = 0; i < 8; i++)
		worksheet_write_string(ws, r, 8 + i, rest[i], NULL);
	for (int i = 16; i < 22; i++)
		worksheet_write_number(ws, r, i, i == 16 ? 1 : i == 21 ? 1 : 0, NULL);
	lxw_datetime up = { 2024, 5, 30, 0, 0, 0 };
	worksheet_write_datetime(ws, r, 22, &up, date);
}

static int big(const char *path, long n)
{
	lxw_workbook_options o = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb = workbook_new_opt(path, &o);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "DTKS");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	for (int c = 0; c < NCOL; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
	for (long i = 1; i <= n; i++) {
		struct person p = { 631101201500000.0 + i, 6311010101000000.0 + i,
		                    6311011109110000.0 + i / 4, "NAMA ORANG", "L",
		                    "JUAI", 1970 + (int)(i % 40), 1 + (int)(i % 12),
		                    1 + (int)(i % 28), "GG. MELATI" };
		row(ws, date, (int)i, &p);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3)
		return big(argv[1], atol(argv[2]));
	if (argc != 2) {
		fprintf(stderr, "usage: make_xlsx FILE [ROWS]\n");
		return 2;
	}
	lxw_workbook *wb = workbook_new(argv[1]);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "DTKS");
	lxw_worksheet *notes = workbook_add_worksheet(wb, "Catatan");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	for (int c = 0; c < NCOL; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
	static const struct person p[] = {
		{ 631101201500001.0, 6311013008731179.0, 6311011109110001.0,
		  "ILHAM RAFI", "L", "KANDANGAN", 1973, 8, 30, "GG. MELATI" },
		{ 631101201500002.0, 6311014311789467.0, 6311011109110001.0,
		  "SALMAH \"IMAH\" JANNAH", "P", "KANDANGAN", 1978, 11, 3,
		  "GG. MELATI, RT 12" },
		{ 631101201500003.0, 0, 6311011109110001.0, "SAPRUDIN RIDUÁN",
		  "L", "JUAI", 2006, 7, 12, "GG. MELATI" },
		{ 631101201500004.0, 9171062403080463.0, 6311011109110001.0,
		  "MUHAMMAD ANSHARI", "L", "JAYAPURA", 2008, 3, 24, "GG. MELATI" },
	};
	for (int i = 0; i < 4; i++)
		row(ws, date, i < 3 ? i + 1 : i + 2, &p[i]);
	worksheet_write_string(notes, 0, 0, "catatan", NULL);
	worksheet_write_string(notes, 1, 0, "sheet kedua", NULL);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
