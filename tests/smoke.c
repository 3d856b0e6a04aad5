/* smoke.c - the wrappers link and answer the kernel's errno */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "mrelease.h"
#include "testlib.h"

START_TEST(t_mrelease_process_mrelease__EBADF__minus_one)
{
	errno = 0;
	ck_assert_int_eq(process_mrelease(-1, 0), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("smoke");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tl_require(MRELEASE_HAVE_PROCESS_MRELEASE);
	tcase_add_test(tc, t_mrelease_process_mrelease__EBADF__minus_one);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
