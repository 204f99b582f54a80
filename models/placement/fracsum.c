#include "models/placement/fracsum.h"

#include <string.h>

#include "sim/base/xalloc.h"

/*
 * Non-negative multi-precision integers, little-endian 32-bit limbs, with
 * n == 0 for zero. The largest value built is a product of FRACSUM_MAX - 1
 * denominators (each below 2^126) and one numerator (below 2^126), summed
 * FRACSUM_MAX times: under 2^2020, so 64 limbs; two spare.
 */
#define LIMBS 66

struct big {
    int n;
    uint32_t v[LIMBS];
};

/* *dst = *src, copying only the limbs in use. */
static void big_copy(struct big *dst, const struct big *src)
{
    dst->n = src->n;
    memcpy(dst->v, src->v, (size_t)src->n * sizeof *src->v);
}

static void big_set(struct big *x, uint64_t v)
{
    x->v[0] = (uint32_t)v;
    x->v[1] = (uint32_t)(v >> 32);
    x->n = x->v[1] ? 2 : x->v[0] ? 1 : 0;
}

static void big_mul32(struct big *x, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < x->n; i++) {
        uint64_t p = (uint64_t)x->v[i] * m + carry;
        x->v[i] = (uint32_t)p;
        carry = p >> 32;
    }
    if (carry) {
        if (x->n >= LIMBS)
            BUG("fracsum: product too wide");
        x->v[x->n++] = (uint32_t)carry;
    }
    if (m == 0)
        x->n = 0;
}

/* x += y << (32 * shift) */
static void big_add_shifted(struct big *x, const struct big *y, int shift)
{
    if (y->n == 0)
        return;
    int n = y->n + shift;
    if (n > LIMBS)
        BUG("fracsum: sum too wide");
    while (x->n < n)
        x->v[x->n++] = 0;
    uint64_t carry = 0;
    int i = shift;
    for (; i < n; i++) {
        uint64_t s = (uint64_t)x->v[i] + y->v[i - shift] + carry;
        x->v[i] = (uint32_t)s;
        carry = s >> 32;
    }
    for (; carry && i < x->n; i++) {
        uint64_t s = (uint64_t)x->v[i] + carry;
        x->v[i] = (uint32_t)s;
        carry = s >> 32;
    }
    if (carry) {
        if (x->n >= LIMBS)
            BUG("fracsum: sum too wide");
        x->v[x->n++] = (uint32_t)carry;
    }
}

static void big_mul(struct big *x, uint64_t m)
{
    uint32_t lo = (uint32_t)m, hi = (uint32_t)(m >> 32);
    if (!hi) {
        big_mul32(x, lo);
        return;
    }
    struct big h;
    big_copy(&h, x);
    big_mul32(&h, hi);
    big_mul32(x, lo);
    big_add_shifted(x, &h, 1);
}

static int big_cmp(const struct big *x, const struct big *y)
{
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    for (int i = x->n - 1; i >= 0; i--)
        if (x->v[i] != y->v[i])
            return x->v[i] < y->v[i] ? -1 : 1;
    return 0;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static double term_approx(const struct fracterm *t)
{
    return ((double)t->a * (double)t->b) / ((double)t->c * (double)t->d);
}

double fracsum_approx(const struct fracterm *t, int n, double *err)
{
    double s = 0, mag = 0;
    for (int i = 0; i < n; i++) {
        double v = term_approx(&t[i]);
        s += v;
        mag += v < 0 ? -v : v;
    }
    if (err)
        *err = (double)(n + 8) * 0x1p-52 * mag;
    return s;
}

/*
 * The sign exact_cmp computes, in 64-bit integers when every product
 * a_i·b_i·prod_{g != g(i)} D_g is below 2^61 / (n + 1): then no partial
 * product (all factors are >= 1) nor the sum can overflow. The test runs in
 * doubles, whose relative error here (a few dozen 2^-53) is far inside the
 * factor of 4 spared. Scores of nodes in millicores and bytes pass it, so
 * near-ties between them cost a few multiplications instead of limb
 * arithmetic. Returns 2 when some product is too large.
 */
static int small_cmp(const struct fracterm *const *term, const int *sign, const int *group, int n,
                     const int64_t *gc, const int64_t *gd, int ng)
{
    const double limit = 0x1p61 / (double)(n + 1);
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        uint64_t a = magnitude(term[i]->a), b = magnitude(term[i]->b);
        double est = (double)a * (double)b;
        for (int h = 0; h < ng; h++)
            if (h != group[i])
                est *= (double)gc[h] * (double)gd[h];
        if (!(est < limit))
            return 2;
        uint64_t v = a * b;
        for (int h = 0; h < ng; h++)
            if (h != group[i])
                v *= (uint64_t)gc[h] * (uint64_t)gd[h];
        sum += sign[i] > 0 ? (int64_t)v : -(int64_t)v;
    }
    return (sum > 0) - (sum < 0);
}

/*
 * The exact sign of sum_i s_i·a_i·b_i / (c_i·d_i) over the terms of both
 * sides (s = +1 for x, -1 for y): with D_g the distinct denominators, the
 * sign of sum_i s_i·a_i·b_i · prod_{g != g(i)} D_g, as two non-negative sums.
 */
static int exact_cmp(const struct fracterm *x, int nx, const struct fracterm *y, int ny)
{
    const struct fracterm *term[FRACSUM_MAX];
    int sign[FRACSUM_MAX], group[FRACSUM_MAX];
    int64_t gc[FRACSUM_MAX], gd[FRACSUM_MAX];
    int n = 0, ng = 0;
    for (int i = 0; i < nx + ny; i++) {
        const struct fracterm *t = i < nx ? &x[i] : &y[i - nx];
        if (t->a == 0 || t->b == 0)
            continue;
        int g = 0;
        while (g < ng && !((gc[g] == t->c && gd[g] == t->d) || (gc[g] == t->d && gd[g] == t->c)))
            g++;
        if (g == ng) {
            gc[ng] = t->c;
            gd[ng] = t->d;
            ng++;
        }
        term[n] = t;
        sign[n] = (i < nx ? 1 : -1) * (t->a < 0 ? -1 : 1) * (t->b < 0 ? -1 : 1);
        group[n] = g;
        n++;
    }
    int small = small_cmp(term, sign, group, n, gc, gd, ng);
    if (small != 2)
        return small;
    struct big pos, neg, mul, v;
    big_set(&pos, 0);
    big_set(&neg, 0);
    for (int g = 0; g < ng; g++) {
        big_set(&mul, 1);
        for (int h = 0; h < ng; h++) {
            if (h == g)
                continue;
            big_mul(&mul, (uint64_t)gc[h]);
            big_mul(&mul, (uint64_t)gd[h]);
        }
        for (int i = 0; i < n; i++) {
            if (group[i] != g)
                continue;
            big_copy(&v, &mul);
            big_mul(&v, magnitude(term[i]->a));
            big_mul(&v, magnitude(term[i]->b));
            big_add_shifted(sign[i] > 0 ? &pos : &neg, &v, 0);
        }
    }
    return big_cmp(&pos, &neg);
}

int fracsum_cmp(const struct fracterm *x, int nx, const struct fracterm *y, int ny)
{
    if (nx < 0 || ny < 0 || nx + ny > FRACSUM_MAX)
        BUG("fracsum: too many terms");
    for (int i = 0; i < nx + ny; i++) {
        const struct fracterm *t = i < nx ? &x[i] : &y[i - nx];
        if (t->c <= 0 || t->d <= 0)
            BUG("fracsum: denominator not positive");
    }
    double ex, ey;
    double sx = fracsum_approx(x, nx, &ex);
    double sy = fracsum_approx(y, ny, &ey);
    /* The subtraction rounds too: one more unit of the magnitudes, within the doubled bound. */
    double diff = sx - sy, bound = ex + ey;
    if (diff > bound)
        return 1;
    if (diff < -bound)
        return -1;
    /* The same terms: nodes of one shape with the same free capacity, a tie met often. */
    if (nx == ny && memcmp(x, y, (size_t)nx * sizeof *x) == 0)
        return 0;
    return exact_cmp(x, nx, y, ny);
}
