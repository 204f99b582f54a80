#ifndef KSIM_MODELS_PLACEMENT_FRACSUM_H
#define KSIM_MODELS_PLACEMENT_FRACSUM_H
/*
 * Exact comparison of sums of fractions, for placement scores such as
 * sum_d w_d * (free_d - req_d) / alloc_d.
 *
 * Scores are rational numbers, and two nodes tie exactly when they are equal
 * as rationals (4000m/8000m + 8Gi/16Gi == 2000m/4000m + 32Gi/64Gi), whatever
 * doubles would say. Ties must be found exactly, because a tie goes to the
 * lowest node id; a comparison that rounding breaks one way on one node and
 * the other way on another would make the choice depend on the order in which
 * candidates happen to be compared.
 *
 * A term is a·b / (c·d) with int64 a, b and positive int64 c, d, so every
 * score in ksim is a short list of terms (best-fit: (free - req)·w / (alloc·1),
 * dot-product: req·free / (alloc·alloc)). fracsum_cmp first evaluates both
 * sums in doubles with a rigorous bound on the rounding error (each term has
 * a relative error below 8·2^-53, a sum of n terms adds n·2^-53 of the sum of
 * magnitudes; the bound used is twice that); only when the difference lies
 * within that bound does it multiply out over a common denominator in
 * multi-precision integers (32-bit limbs, no compiler extensions). Terms
 * sharing a denominator are grouped first, so comparing two nodes of one
 * shape costs two products, not n.
 *
 *   operation               cost
 *   fracsum_approx          O(n), doubles
 *   fracsum_cmp, clear-cut  O(n + m), doubles
 *   fracsum_cmp, near-tie   O(k^2 · L) limb operations, k distinct
 *                           denominators (at most n + m), L limbs
 *                           (about 4 per denominator): a few hundred
 *                           nanoseconds for two-dimension scores
 */
#include <stdint.h>

/* Most terms fracsum_cmp accepts on both sides together. */
#define FRACSUM_MAX 16

/* The value a·b / (c·d); c and d must be positive. */
struct fracterm {
    int64_t a, b, c, d;
};

/*
 * The sum of the n terms in doubles, and in *err (may be NULL) a bound on its
 * absolute error: |exact - returned| <= *err.
 */
double fracsum_approx(const struct fracterm *t, int n, double *err);

/*
 * The sign of sum(x) - sum(y), exactly: -1, 0 or 1. nx + ny <= FRACSUM_MAX
 * (a BUG otherwise, as is a term with c or d not positive).
 */
int fracsum_cmp(const struct fracterm *x, int nx, const struct fracterm *y, int ny);

#endif
