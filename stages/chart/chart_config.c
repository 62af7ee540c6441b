/*
 * chart_config.c - angka-chart's settings: the defaults, the key table of
 * the [chart] section (the title keys from chart_table) and the format
 * list. See chart.h.
 */
#include "chart.h"

#include <stddef.h>
#include <string.h>

void chart_config_init(struct chart_config *cc)
{
	memset(cc, 0, sizeof *cc);
	cc->lang = CHART_ID;
	cc->formats = "png,svg,pdf";
	cc->width_cm = 16;
	cc->height_cm = 9;
	cc->dpi = 300;
	cc->font_pt = 8;
}

#define CK(name, type, field, ch, lo, hi) \
	{ name, type, offsetof(struct chart_config, field), ch, lo, hi }
/* The keys of [chart] but the title of each chart. */
static const struct angka_key_def fixed_keys[] = {
	CK("dpi", ANGKA_KEY_INT, dpi, NULL, 72, 1200),
	CK("font_pt", ANGKA_KEY_DOUBLE, font_pt, NULL, 5, 16),
	CK("formats", ANGKA_KEY_STRING, formats, NULL, 0, 0),
	CK("height_cm", ANGKA_KEY_DOUBLE, height_cm, NULL, 3, 30),
	CK("history", ANGKA_KEY_PATH, history, NULL, 0, 0),
	CK("komoditas", ANGKA_KEY_PATH, komoditas, NULL, 0, 0),
	CK("kode_wilayah", ANGKA_KEY_STRING, kode_wilayah, NULL, 0, 0),
	CK("lang", ANGKA_KEY_ENUM, lang, "id|en", 0, 0),
	CK("nama_wilayah", ANGKA_KEY_STRING, nama_wilayah, NULL, 0, 0),
	CK("programmes", ANGKA_KEY_PATH, programmes, NULL, 0, 0),
	CK("sae", ANGKA_KEY_PATH, sae, NULL, 0, 0),
	CK("registry", ANGKA_KEY_PATH, registry, NULL, 0, 0),
	CK("source", ANGKA_KEY_STRING, source, NULL, 0, 0),
	CK("source_registry", ANGKA_KEY_STRING, source_registry, NULL, 0, 0),
	CK("tahun", ANGKA_KEY_INT, tahun, NULL, 1900, 2200),
	CK("wilayah", ANGKA_KEY_PATH, wilayah, NULL, 0, 0),
	CK("width_cm", ANGKA_KEY_DOUBLE, width_cm, NULL, 4, 40),
};

const struct angka_key_def *chart_config_keys(void)
{
	enum { NFIXED = sizeof fixed_keys / sizeof fixed_keys[0] };
	/* The fixed keys, a title key per chart, the NULL key. */
	static struct angka_key_def keys[NFIXED + CHART_MAX + 1];
	if (keys[0].key)
		return keys;
	size_t n = 0;
	for (size_t i = 0; i < NFIXED; i++)
		keys[n++] = fixed_keys[i];
	for (size_t i = 0; chart_table[i]; i++) {
		struct angka_key_def k = {
			chart_table[i]->title_key, ANGKA_KEY_STRING,
			offsetof(struct chart_config, title) + i * sizeof(const char *),
			NULL, 0, 0
		};
		keys[n++] = k;
	}
	return keys;
}

int chart_parse_formats(const char *s, unsigned *flags)
{
	*flags = 0;
	if (strcmp(s, "none") == 0)
		return 0;   /* charts switched off */
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ", ");
		if (n == 3 && strncmp(p, "png", 3) == 0)
			*flags |= CHART_PNG;
		else if (n == 3 && strncmp(p, "svg", 3) == 0)
			*flags |= CHART_SVG;
		else if (n == 3 && strncmp(p, "pdf", 3) == 0)
			*flags |= CHART_PDF;
		else if (n)
			return -1;
		p += n;
		p += strspn(p, ", ");
	}
	return *flags ? 0 : -1;
}
