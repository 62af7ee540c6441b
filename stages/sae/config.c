/*
 * config.c - angka-sae's [sae] settings: defaults and keys (see sae.h).
 */
#include "sae.h"

#include <stddef.h>

void sae_config_init(struct sae_config *sc)
{
	sc->method = SAE_REML;
	sc->indikator = "P0";
	sc->covariates = "desil12_pct pkh_pct";
}

#define SK(name, type, field, ch) \
	{ name, type, offsetof(struct sae_config, field), ch, 0, 0 }
const struct angka_key_def sae_config_keys[] = {
	SK("method", ANGKA_KEY_ENUM, method, "reml|ml"),
	SK("indikator", ANGKA_KEY_STRING, indikator, NULL),
	SK("covariates", ANGKA_KEY_STRING, covariates, NULL),
	{ NULL, 0, 0, NULL, 0, 0 }
};
