/*
 * result.c - the size contract of the structs the caller hands in
 *
 * SPDX-License-Identifier: MIT
 *
 * A caller passes a struct with its size (openat2(2), clone3(2)): a newer
 * library knows more fields than an older caller's struct has, an older
 * library fewer than a newer caller's.  The library writes only the first
 * `size` bytes, and zeroes the fields of the caller's that it does not know.
 */
#include <string.h>

#include "internal.h"

int mr_struct_check(const void *p, size_t size, size_t min, int null_ok)
{
	if (!p && !size && null_ok)
		return 0;
	if (!p || size < min || size > MR_MAX_STRUCT_SIZE)
		return -EINVAL;
	return 0;
}

int mr_result_check(const void *result, size_t size)
{
	return mr_struct_check(result, size, MRELEASE_RESULT_SIZE_VER0, 1);
}

void mr_result_copy(void *dst, size_t size, const void *src, size_t src_size)
{
	size_t n = size < src_size ? size : src_size;

	if (!dst || !size)
		return;
	memcpy(dst, src, n);
	if (size > n)
		memset((char *)dst + n, 0, size - n);
}
