#ifndef KSIM_TESTS_TESTUTIL_H
#define KSIM_TESTS_TESTUTIL_H
/*
 * Shared helpers for cmocka tests. cmocka 1.1.5 needs these headers before
 * <cmocka.h> and has no assert_double_equal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Fails unless |a - b| <= tol. */
#define check_close(a, b, tol) testutil_check_close((a), (b), (tol), __FILE__, __LINE__)
void testutil_check_close(double a, double b, double tol, const char *file, int line);

/* Writes text to a fresh file under a temp dir; returns its path (static buffer per call). */
const char *testutil_write_temp(const char *name, const char *text);

/*
 * The names of the files in dir ending in ext (".json"), sorted bytewise, at
 * most max of them, each strdup'd into names (the caller frees them).
 */
size_t testutil_list_files(const char *dir, const char *ext, char **names, size_t max);

#endif
