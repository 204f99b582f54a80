#include "sim/io/textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

char *textfile_read(const char *path, size_t *len, struct diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        xgrow((void **)&buf, &cap, n + 65536, 1);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        diag_set(d, path, 0, 0, "cannot read: %s", strerror(errno));
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int textfile_write(const char *path, const char *buf, size_t len, struct diag *d)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        diag_set(d, path, 0, 0, "cannot write: %s", strerror(errno));
        return -1;
    }
    int bad = fwrite(buf, 1, len, f) != len;
    if (fclose(f) || bad) {
        diag_set(d, path, 0, 0, "cannot write: %s", strerror(errno));
        return -1;
    }
    return 0;
}
