/*
 * fuzz_gzip.c - libFuzzer entry point; the target's body is in fuzz_gzip.h
 * so that the unit tests can replay its corpus through the same code.
 */
#include "fuzz_gzip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_gzip_one(data, size);
}
