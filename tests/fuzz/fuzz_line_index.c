/*
 * fuzz_line_index.c - libFuzzer entry point for the line index parser;
 * the target's body is in fuzz_line_index.h so that the unit tests can
 * replay regression inputs through the same code.
 */
#include "fuzz_line_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_line_index_one(data, size);
}
