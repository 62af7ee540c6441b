/*
 * config.c - angka-garis's [garis] settings: defaults and keys (garis.h).
 */
#include "garis.h"

#include <stddef.h>

void garis_config_init(struct garis_config *gc)
{
	gc->source = GARIS_SOURCE_INPUT;
	gc->kalori = gc->rasio = gc->ihk = NULL;
	gc->makanan = gc->bukan_makanan = "";
}

#define GK(name, type, field, ch) \
	{ name, type, offsetof(struct garis_config, field), ch, 0, 0 }
const struct angka_key_def garis_config_keys[] = {
	GK("source", ANGKA_KEY_ENUM, source, "input|hitung"),
	GK("kalori", ANGKA_KEY_PATH, kalori, NULL),
	GK("rasio", ANGKA_KEY_PATH, rasio, NULL),
	GK("ihk", ANGKA_KEY_PATH, ihk, NULL),
	GK("makanan", ANGKA_KEY_STRING, makanan, NULL),
	GK("bukan_makanan", ANGKA_KEY_STRING, bukan_makanan, NULL),
	{ NULL, 0, 0, NULL, 0, 0 }
};
