/*
 * fuzz.h - what every fuzz target of fuzz/ shares
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MRELEASE_FUZZ_H
#define MRELEASE_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A heap copy of exactly size bytes (ASan sees a read past the end), or
 * NULL when out of memory; the caller frees it. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);

	if (s && size)
		memcpy(s, data, size);
	return s;
}

#endif /* MRELEASE_FUZZ_H */
