/*
 * fuzz_xlsx_sheet.c - libFuzzer entry point for the .xlsx worksheet
 * handler; the body is in fuzz_xlsx_sheet.h so that the unit tests can
 * replay regression inputs through the same code.
 */
#include "fuzz_xlsx_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_xlsx_sheet_one(data, size);
}
