/*
 * fuzz_csv_reader.c - libFuzzer entry point; the target's body is in
 * fuzz_csv_reader.h so that the unit tests can replay regression inputs
 * through the same code.
 */
#include "fuzz_csv_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_csv_reader_one(data, size);
}
