#include "sim/io/runpool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/base/xalloc.h"
#include "sim/io/progress.h"
#include "sim/io/resultsdir.h"

struct child {
    pid_t pid;
    int fd; /* read end of the child's error pipe */
    size_t job;
    double started;
};

/* In the child: run, report a failure through the pipe, never return. */
static void child_main(struct runjob *job, int fd)
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
    if (rc) {
        size_t len = strlen(d.text);
        if (write(fd, d.text, len) != (ssize_t)len)
            rc = 2;
    }
    close(fd);
    _exit(rc ? 1 : 0);
}

static int start(struct runjob *jobs, size_t j, struct child *c, struct diag *d)
{
    int fds[2];
    if (pipe(fds)) {
        diag_set(d, NULL, 0, 0, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL); /* or the child would flush the parent's buffered output again */
    pid_t pid = fork();
    if (pid < 0) {
        diag_set(d, NULL, 0, 0, "cannot start a run: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(&jobs[j], fds[1]);
    }
    close(fds[1]);
    c->pid = pid;
    c->fd = fds[0];
    c->job = j;
    c->started = progress_now();
    return 0;
}

/* Reaps one child; records its time and outcome. */
static void reap(struct runjob *jobs, struct child *kids, size_t *nkids, struct diag *d)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, 0)) < 0 && errno == EINTR)
        ;
    if (pid < 0)
        BUG("waitpid without a child");
    size_t k = 0;
    while (k < *nkids && kids[k].pid != pid)
        k++;
    if (k == *nkids)
        BUG("waitpid returned an unknown child");
    struct runjob *job = &jobs[kids[k].job];
    job->seconds = progress_now() - kids[k].started;
    job->failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (job->failed && !d->set) {
        char msg[sizeof d->text];
        ssize_t got = read(kids[k].fd, msg, sizeof msg - 1);
        msg[got > 0 ? got : 0] = '\0';
        if (got > 0)
            diag_set(d, NULL, 0, 0, "%s", msg);
        else if (WIFSIGNALED(status))
            diag_set(d, NULL, 0, 0, "run into %s died of signal %d", job->opt.outdir,
                     WTERMSIG(status));
        else
            diag_set(d, NULL, 0, 0, "run into %s failed", job->opt.outdir);
    }
    close(kids[k].fd);
    kids[k] = kids[--*nkids];
}

int runpool_run(struct runjob *jobs, size_t n, int parallel, volatile sig_atomic_t *interrupted,
                struct diag *d)
{
    if (parallel < 1)
        parallel = 1;
    struct child *kids = xcalloc((size_t)parallel, sizeof *kids);
    size_t nkids = 0, next = 0;
    for (size_t j = 0; j < n; j++) {
        jobs[j].failed = 1;
        jobs[j].seconds = 0;
    }
    while (next < n || nkids > 0) {
        int stop = d->set || (interrupted && *interrupted);
        if (!stop && next < n && nkids < (size_t)parallel) {
            if (start(jobs, next, &kids[nkids], d) == 0) {
                nkids++;
                next++;
            }
            continue;
        }
        if (nkids == 0)
            break;
        reap(jobs, kids, &nkids, d);
    }
    free(kids);
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
