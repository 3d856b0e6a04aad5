/*
 * api.c - what the header promises without asking the kernel: the version
 * macros and function, and the flag constants.
 *
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrelease.h"
#include "testlib.h"

START_TEST(t_mrelease_version)
{
	char buf[64];

	ck_assert_ptr_nonnull(mrelease_version());
	ck_assert_str_eq(mrelease_version(), PACKAGE_VERSION);
	snprintf(buf, sizeof(buf), "%d.%d.%d", MRELEASE_VERSION_MAJOR,
		 MRELEASE_VERSION_MINOR, MRELEASE_VERSION_MICRO);
	ck_assert_str_eq(mrelease_version(), buf);
	/* A static string: the same pointer every time. */
	ck_assert_ptr_eq(mrelease_version(), mrelease_version());
}
END_TEST

START_TEST(t_mrelease_check_version)
{
	ck_assert(MRELEASE_CHECK_VERSION(1, 0, 0));
	ck_assert(MRELEASE_CHECK_VERSION(MRELEASE_VERSION_MAJOR,
					 MRELEASE_VERSION_MINOR,
					 MRELEASE_VERSION_MICRO));
	ck_assert(!MRELEASE_CHECK_VERSION(MRELEASE_VERSION_MAJOR,
					  MRELEASE_VERSION_MINOR,
					  MRELEASE_VERSION_MICRO + 1));
	ck_assert(!MRELEASE_CHECK_VERSION(MRELEASE_VERSION_MAJOR,
					  MRELEASE_VERSION_MINOR + 1, 0));
	ck_assert(!MRELEASE_CHECK_VERSION(MRELEASE_VERSION_MAJOR + 1, 0, 0));
}
END_TEST

/* The kernel's values; the O_* ones differ per architecture. */
START_TEST(t_mrelease_constants)
{
	ck_assert_int_eq(PIDFD_NONBLOCK, O_NONBLOCK);
	ck_assert_int_eq(PIDFD_THREAD, O_EXCL);
	ck_assert_int_eq(PIDFD_SIGNAL_THREAD, 1);
	ck_assert_int_eq(PIDFD_SIGNAL_THREAD_GROUP, 2);
	ck_assert_int_eq(PIDFD_SIGNAL_PROCESS_GROUP, 4);
}
END_TEST

TL_MAIN("api", "api", 0, NULL, 0, 0)
