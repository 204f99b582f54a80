#define _XOPEN_SOURCE 700
#include "sim/io/resultsdir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/xalloc.h"

int resultsdir_mkdirs(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777) && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int resultsdir_remove_tree(const char *path)
{
    return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Splits path into its parent folder and last component (both heap). */
static void split(const char *path, char **parent, char **base)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    const char *end = path + len;
    const char *slash = end;
    while (slash > path && slash[-1] != '/')
        slash--;
    *base = xstrndup(slash, (size_t)(end - slash));
    if (slash == path)
        *parent = xstrdup(".");
    else
        *parent = xstrndup(path, slash - path > 1 ? (size_t)(slash - path - 1) : 1);
}

int resultsdir_begin(struct resultsdir *r, const char *final, struct diag *d)
{
    memset(r, 0, sizeof *r);
    char *parent, *base;
    split(final, &parent, &base);
    if (!base[0] || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        diag_set(d, final, 0, 0, "not a usable results folder name");
        free(parent);
        free(base);
        return -1;
    }
    if (resultsdir_mkdirs(parent)) {
        diag_set(d, parent, 0, 0, "cannot create folder: %s", strerror(errno));
        free(parent);
        free(base);
        return -1;
    }
    char *tmpl = xasprintf("%s/.%s.tmp-XXXXXX", parent, base);
    if (!mkdtemp(tmpl)) {
        diag_set(d, parent, 0, 0, "cannot create a temporary folder: %s", strerror(errno));
        free(tmpl);
        free(parent);
        free(base);
        return -1;
    }
    r->final = xstrdup(final);
    r->tmp = tmpl;
    free(parent);
    free(base);
    return 0;
}

char *resultsdir_path(const struct resultsdir *r, const char *name)
{
    return xasprintf("%s/%s", r->tmp, name);
}

int resultsdir_commit(struct resultsdir *r, struct diag *d)
{
    struct stat st;
    char *old = NULL;
    if (lstat(r->final, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            diag_set(d, r->final, 0, 0, "exists and is not a folder");
            resultsdir_abort(r);
            return -1;
        }
        /* Move the old folder aside first, so a failure leaves it intact. */
        char *parent, *base;
        split(r->final, &parent, &base);
        old = xasprintf("%s/.%s.old-XXXXXX", parent, base);
        free(parent);
        free(base);
        if (!mkdtemp(old) || rmdir(old) || rename(r->final, old)) {
            diag_set(d, r->final, 0, 0, "cannot replace the earlier results: %s", strerror(errno));
            free(old);
            resultsdir_abort(r);
            return -1;
        }
    }
    if (rename(r->tmp, r->final)) {
        diag_set(d, r->final, 0, 0, "cannot move results into place: %s", strerror(errno));
        if (old)
            rename(old, r->final);
        free(old);
        resultsdir_abort(r);
        return -1;
    }
    if (old)
        resultsdir_remove_tree(old);
    free(old);
    free(r->tmp);
    r->tmp = NULL;
    return 0;
}

void resultsdir_abort(struct resultsdir *r)
{
    if (r->tmp) {
        resultsdir_remove_tree(r->tmp);
        free(r->tmp);
        r->tmp = NULL;
    }
}

void resultsdir_release(struct resultsdir *r)
{
    resultsdir_abort(r);
    free(r->final);
    r->final = NULL;
}

int resultsdir_write_file(const char *path, const char *text, struct diag *d)
{
    char *parent, *base;
    split(path, &parent, &base);
    int rc = -1;
    char *tmp = xasprintf("%s/.%s.tmp-XXXXXX", parent, base);
    int fd = -1;
    if (resultsdir_mkdirs(parent) || (fd = mkstemp(tmp)) < 0) {
        diag_set(d, path, 0, 0, "cannot create: %s", strerror(errno));
        goto out;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        diag_set(d, path, 0, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    /* mkstemp makes the file 0600; results are as readable as any other file. */
    if (bad || chmod(tmp, 0644) || rename(tmp, path)) {
        diag_set(d, path, 0, 0, "cannot write: %s", strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    free(parent);
    free(base);
    return rc;
}
