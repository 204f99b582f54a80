#include "sim/io/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, int allow)
{
    const char *ci = getenv("CI");
    p->enabled = allow && isatty(STDERR_FILENO) && !(ci && ci[0]);
    p->shown = 0;
    p->start = p->last = progress_now();
}

void progress_update(struct progress *p, double fraction)
{
    if (!p->enabled)
        return;
    double now = progress_now();
    if (now - p->start < 1.0 || now - p->last < 0.1)
        return;
    p->last = now;
    p->shown = 1;
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    enum { WIDTH = 40 };
    char bar[WIDTH + 1];
    int filled = (int)(fraction * WIDTH);
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    double elapsed = now - p->start;
    double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    fprintf(stderr, "\r[%s] %3d%%  %.0fs elapsed, ~%.0fs left ", bar, (int)(fraction * 100),
            elapsed, eta);
    fflush(stderr);
}

void progress_done(struct progress *p)
{
    if (p->enabled && p->shown) {
        fprintf(stderr, "\r%70s\r", "");
        fflush(stderr);
    }
    p->shown = 0;
}
