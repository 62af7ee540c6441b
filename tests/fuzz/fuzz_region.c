/*
 * fuzz_region.c - libFuzzer entry point; the target's body is in
 * fuzz_region.h so that the unit tests can replay regression inputs
 * through the same code.
 */
#include "fuzz_region.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_region_one(data, size);
}
