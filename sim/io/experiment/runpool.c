#include "sim/io/experiment/runpool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/base/xalloc.h"
#include "sim/io/progress.h"
#include "sim/io/resultsdir.h"

/*
 * A worker is a forked process that runs jobs one after another: forking
 * costs about a millisecond of CPU on a VM, as much as a tenth of a small
 * run, so the pool forks `parallel` workers once rather than once per run.
 * Nothing in a run outlives it (the library keeps no global state), so a
 * run in a worker that ran others before is the same as in a fresh process.
 *
 *   parent --job index (int32; -1: quit)--> worker --struct result--> parent
 */
struct result {
    int32_t job;
    int32_t failed;
    char text[sizeof(((struct diag *)0)->text)];
};

struct worker {
    pid_t pid;
    int cmd;  /* write end: job indexes to the worker */
    int res;  /* read end: results from it */
    long job; /* running job, or -1 when idle */
    double started;
};

static int read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        put += (size_t)w;
    }
    return 0;
}

/* One job, in a worker. */
static void run_job(const struct runjob *job, struct result *res)
{
    struct run_options opt = job->opt;
    opt.progress = 0;
    struct run_report rep;
    struct diag d;
    diag_clear(&d);
    int rc = run_scenario(&opt, &rep, &d);
    if (rc == 0 && job->stamp_name) {
        char *path = xasprintf("%s/%s", rep.outdir, job->stamp_name);
        rc = resultsdir_write_file(path, job->stamp_text, &d);
        free(path);
    }
    run_report_release(&rep);
    res->failed = rc != 0;
    snprintf(res->text, sizeof res->text, "%s", rc ? d.text : "");
}

/* The worker's loop: never returns. */
static void worker_main(const struct runjob *jobs, size_t n, int cmd, int res)
{
    int32_t j;
    while (read_full(cmd, &j, sizeof j) == 0 && j >= 0 && (size_t)j < n) {
        struct result r;
        memset(&r, 0, sizeof r);
        r.job = j;
        run_job(&jobs[j], &r);
        if (write_full(res, &r, sizeof r))
            _exit(2);
    }
    _exit(0);
}

static int start_worker(const struct runjob *jobs, size_t n, struct worker *ws, size_t k,
                        struct diag *d)
{
    int cmd[2], res[2];
    if (pipe(cmd)) {
        diag_set(d, NULL, 0, 0, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe(res)) {
        diag_set(d, NULL, 0, 0, "cannot create a pipe: %s", strerror(errno));
        close(cmd[0]);
        close(cmd[1]);
        return -1;
    }
    fflush(NULL); /* or the worker would flush the parent's buffered output again */
    pid_t pid = fork();
    if (pid < 0) {
        diag_set(d, NULL, 0, 0, "cannot start a run: %s", strerror(errno));
        close(cmd[0]);
        close(cmd[1]);
        close(res[0]);
        close(res[1]);
        return -1;
    }
    if (pid == 0) {
        /* The parent's ends of earlier workers' pipes are not ours to hold. */
        for (size_t i = 0; i < k; i++) {
            close(ws[i].cmd);
            close(ws[i].res);
        }
        close(cmd[1]);
        close(res[0]);
        worker_main(jobs, n, cmd[0], res[1]);
    }
    close(cmd[0]);
    close(res[1]);
    ws[k].pid = pid;
    ws[k].cmd = cmd[1];
    ws[k].res = res[0];
    ws[k].job = -1;
    return 0;
}

/* Sends job j to idle worker w. */
static int dispatch(struct worker *w, size_t j, struct diag *d)
{
    int32_t idx = (int32_t)j;
    w->job = (long)j;
    w->started = progress_now();
    if (write_full(w->cmd, &idx, sizeof idx)) {
        diag_set(d, NULL, 0, 0, "a run worker stopped unexpectedly");
        w->job = -1;
        return -1;
    }
    return 0;
}

/* Waits for one busy worker's result and records it. */
static void collect(struct runjob *jobs, struct worker *ws, size_t nw, struct diag *d)
{
    struct pollfd *fds = xcalloc(nw, sizeof *fds);
    for (size_t k = 0; k < nw; k++) {
        fds[k].fd = ws[k].job >= 0 ? ws[k].res : -1;
        fds[k].events = POLLIN;
    }
    while (poll(fds, (nfds_t)nw, -1) < 0)
        if (errno != EINTR)
            BUG("poll failed");
    for (size_t k = 0; k < nw; k++) {
        if (ws[k].job < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        struct runjob *job = &jobs[ws[k].job];
        struct result r;
        job->seconds = progress_now() - ws[k].started;
        if (read_full(ws[k].res, &r, sizeof r) || r.job != (int32_t)ws[k].job) {
            job->failed = 1;
            if (!d->set)
                diag_set(d, NULL, 0, 0, "the run into %s died", job->opt.outdir);
        } else {
            job->failed = r.failed;
            if (r.failed && !d->set)
                diag_set(d, NULL, 0, 0, "%s", r.text);
        }
        ws[k].job = -1;
    }
    free(fds);
}

int runpool_run(struct runjob *jobs, size_t n, int parallel, volatile sig_atomic_t *interrupted,
                struct diag *d)
{
    for (size_t j = 0; j < n; j++) {
        jobs[j].failed = 1;
        jobs[j].seconds = 0;
    }
    size_t nw = parallel < 1 ? 1 : (size_t)parallel;
    if (nw > n)
        nw = n;
    struct worker *ws = xcalloc(nw ? nw : 1, sizeof *ws);
    size_t started = 0, next = 0;
    /* A worker that died must show as a failed run, not kill us with SIGPIPE. */
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    while (started < nw && start_worker(jobs, n, ws, started, d) == 0)
        started++;
    for (;;) {
        int stop = d->set || (interrupted && *interrupted);
        size_t busy = 0;
        for (size_t k = 0; k < started; k++) {
            if (ws[k].job < 0 && !stop && next < n && dispatch(&ws[k], next, d) == 0)
                next++;
            busy += ws[k].job >= 0;
        }
        if (!busy)
            break;
        collect(jobs, ws, started, d);
    }
    int32_t quit = -1;
    for (size_t k = 0; k < started; k++) {
        if (write_full(ws[k].cmd, &quit, sizeof quit)) {
            /* Already gone: waitpid below reaps it. */
        }
        close(ws[k].cmd);
        close(ws[k].res);
    }
    for (size_t k = 0; k < started; k++)
        while (waitpid(ws[k].pid, NULL, 0) < 0 && errno == EINTR)
            ;
    free(ws);
    signal(SIGPIPE, old_pipe);
    if (!d->set && interrupted && *interrupted)
        diag_set(d, NULL, 0, 0, "interrupted");
    return d->set ? -1 : 0;
}

int runpool_default_parallel(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

int runpool_parse_parallel(const char *v, int *out)
{
    char *end;
    if (!v || !*v)
        return -1;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (*end || errno || x < 1 || x > 1024)
        return -1;
    *out = (int)x;
    return 0;
}

static double cpu_of(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru))
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

void runpool_cpu_seconds(double *self, double *children)
{
    *self = cpu_of(RUSAGE_SELF);
    *children = cpu_of(RUSAGE_CHILDREN);
}
