/*
 * fuzz_number.c - libFuzzer entry point for the number and period parsers;
 * the target's body is in fuzz_number.h so that the unit tests can replay
 * regression inputs through the same code.
 */
#include "fuzz_number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_number_one(data, size);
}
