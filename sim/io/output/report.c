#include "sim/io/output/report.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/xalloc.h"
#include "sim/io/csv.h"
#include "sim/io/jsonflat.h"
#include "sim/io/output/plot.h"
#include "sim/io/textfile.h"

char *report_base64(const unsigned char *data, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < n)
            v |= data[i + 2];
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? tab[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Charts in reading order: per Deployment, then the cluster, then comparisons. */
static int chart_rank(const char *name)
{
    static const char *const order[] = {"deployment-", "pending",     "allocation",
                                        "nodes",       "comparison-", "sweep"};
    for (int i = 0; i < (int)(sizeof order / sizeof *order); i++)
        if (strncmp(name, order[i], strlen(order[i])) == 0)
            return i;
    return 99;
}

static int chart_cmp(const void *pa, const void *pb)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;
    int ra = chart_rank(a), rb = chart_rank(b);
    return ra != rb ? ra - rb : strcmp(a, b);
}

/* The .svg files of dir/plots, in reading order (heap array of heap names). */
static char **list_charts(const char *plots, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    DIR *dh = opendir(plots);
    if (!dh)
        return NULL;
    for (struct dirent *e; (e = readdir(dh));) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".svg") != 0)
            continue;
        xgrow((void **)&names, &cap, *n + 1, sizeof *names);
        names[(*n)++] = xstrdup(e->d_name);
    }
    closedir(dh);
    if (*n)
        qsort(names, *n, sizeof *names, chart_cmp);
    return names;
}

static void section_charts(FILE *f, const char *dir, const char *note)
{
    char *plots = xasprintf("%s/plots", dir);
    size_t n;
    char **names = list_charts(plots, &n);
    fputs("<h2>Charts</h2>\n", f);
    if (n == 0) {
        fputs("<p class=\"note\">No charts: ", f);
        put_escaped(f, note ? note : "this folder has no plots/ (run ksim plot on it)");
        fputs("</p>\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", plots, names[i]);
        size_t len;
        char *svg = textfile_read(path, &len, NULL);
        if (svg) {
            char *b64 = report_base64((const unsigned char *)svg, len);
            names[i][strlen(names[i]) - 4] = '\0';
            fputs("<figure><img alt=\"", f);
            put_escaped(f, names[i]);
            fprintf(f, "\" src=\"data:image/svg+xml;base64,%s\"><figcaption>", b64);
            put_escaped(f, names[i]);
            fputs("</figcaption></figure>\n", f);
            free(b64);
        }
        free(svg);
        free(path);
        free(names[i]);
    }
    free(names);
    free(plots);
}

/* A two-column table of a JSON file's leaves; 0 when the file is absent. */
static int section_json(FILE *f, const char *dir, const char *file, const char *title,
                        struct diag *d)
{
    char *path = xasprintf("%s/%s", dir, file);
    int present = access(path, F_OK) == 0;
    struct jsonflat j = {0};
    int rc = present ? jsonflat_load(&j, path, d) : 0;
    if (rc == 0 && present) {
        fprintf(f, "<h2>%s <small>(%s)</small></h2>\n<table>\n", title, file);
        for (size_t i = 0; i < j.n; i++) {
            fputs("<tr><th>", f);
            put_escaped(f, j.leaves[i].path);
            fputs("</th><td>", f);
            put_escaped(f, j.leaves[i].text);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    jsonflat_release(&j);
    free(path);
    return rc ? -1 : present;
}

static int section_comparison(FILE *f, const char *dir, struct diag *d)
{
    char *path = xasprintf("%s/comparison.csv", dir);
    int present = access(path, F_OK) == 0;
    struct csv c = {0};
    int rc = present ? csv_load(&c, path, d) : 0;
    if (rc == 0 && present) {
        fputs("<h2>Comparison <small>(comparison.csv)</small></h2>\n<table>\n<tr>", f);
        for (size_t k = 0; k < c.ncols; k++) {
            fputs("<th>", f);
            put_escaped(f, c.head[k]);
            fputs("</th>", f);
        }
        fputs("</tr>\n", f);
        for (size_t r = 0; r < c.nrows; r++) {
            fputs("<tr>", f);
            for (size_t k = 0; k < c.ncols; k++) {
                fputs("<td>", f);
                put_escaped(f, csv_cell(&c, r, k));
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    csv_release(&c);
    free(path);
    return rc ? -1 : present;
}

static int section_scenario(FILE *f, const char *dir)
{
    char *path = xasprintf("%s/scenario.yaml", dir);
    char *text = textfile_read(path, NULL, NULL);
    fputs("<h2>Scenario <small>(scenario.yaml)</small></h2>\n", f);
    if (text) {
        fputs("<pre>", f);
        put_escaped(f, text);
        fputs("</pre>\n", f);
    } else {
        fputs("<p class=\"note\">This folder has no scenario.yaml.</p>\n", f);
    }
    free(text);
    free(path);
    return text != NULL;
}

static const char style[] =
    "body{font-family:sans-serif;margin:1.5em auto;max-width:960px;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "small{color:#777;font-weight:normal}figure{margin:1em 0}img{max-width:100%}"
    "figcaption{color:#777;font-size:.85em}table{border-collapse:collapse;font-size:.9em}"
    "th,td{border:1px solid #ddd;padding:.2em .6em;text-align:left}"
    "td{font-family:monospace}pre{background:#f6f6f6;padding:1em;overflow-x:auto}"
    ".note{color:#a33}";

/* Writes the page to f. Returns how many of its sources were present, or -1. */
static int write_page(FILE *f, const char *dir, const char *note, struct diag *d)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>ksim "
          "report: ",
          f);
    put_escaped(f, dir);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>ksim report: ", style);
    put_escaped(f, dir);
    fputs("</h1>\n", f);
    section_charts(f, dir, note);
    int found = 0, r;
    if ((r = section_json(f, dir, "summary.json", "Summary", d)) < 0)
        return -1;
    found += r;
    if ((r = section_comparison(f, dir, d)) < 0)
        return -1;
    found += r;
    found += section_scenario(f, dir);
    if ((r = section_json(f, dir, "run.json", "Run", d)) < 0)
        return -1;
    found += r;
    fputs("</body>\n</html>\n", f);
    return found;
}

int report_write(const char *dir, int *warned, struct diag *d)
{
    struct stat st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
        diag_set(d, dir, 0, 0, "%s",
                 errno == ENOENT ? "cannot open: No such file or directory"
                                 : "not a results folder");
        return -1;
    }
    /* Charts first, if the folder has none yet. */
    char *plots = xasprintf("%s/plots", dir);
    struct diag pd;
    diag_clear(&pd);
    const char *note = NULL;
    if (stat(plots, &st) != 0) {
        int prc = plot_results(dir, &pd);
        if (prc == PLOT_NO_GNUPLOT) {
            note = pd.text;
            if (warned)
                *warned = 1;
        } else if (prc) {
            diag_set(d, NULL, 0, 0, "%s", pd.text);
            free(plots);
            return -1;
        }
    }
    free(plots);
    char *final = xasprintf("%s/report.html", dir);
    char *tmp = xasprintf("%s/.report.html.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = -1;
    if (!f) {
        diag_set(d, dir, 0, 0, "cannot write report.html: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        int found = write_page(f, dir, note, d);
        if (fclose(f) != 0 && found >= 0)
            diag_set(d, final, 0, 0, "cannot write: %s", strerror(errno));
        else if (found == 0)
            diag_set(
                d, dir, 0, 0,
                "nothing to report: no summary.json, comparison.csv, scenario.yaml or run.json");
        else if (found > 0 && chmod(tmp, 0644) == 0 && rename(tmp, final) == 0)
            rc = 0;
        else if (found > 0)
            diag_set(d, final, 0, 0, "cannot write: %s", strerror(errno));
    }
    if (rc)
        unlink(tmp);
    free(tmp);
    free(final);
    return rc;
}
