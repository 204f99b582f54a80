#include "sim/io/yemit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static int emit(yaml_emitter_t *em, yaml_event_t *ev)
{
    return yaml_emitter_emit(em, ev) ? 0 : -1;
}

static int emit_scalar(yaml_emitter_t *em, const char *s, size_t len, int plain)
{
    yaml_event_t ev;
    /* A quoted scalar is re-quoted: "8" must not come back as the number 8. */
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, plain, !plain,
                                 plain ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    return emit(em, &ev);
}

/* flow: write collections in flow style ({a: 1}, [x, y]) rather than blocks. */
static int emit_node(yaml_emitter_t *em, const struct ynode *n, int flow)
{
    yaml_event_t ev;
    switch (n->kind) {
    case YNODE_SCALAR:
        return emit_scalar(em, n->str, n->len, n->plain);
    case YNODE_SEQ:
        yaml_sequence_start_event_initialize(
            &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_ANY_SEQUENCE_STYLE);
        if (emit(em, &ev))
            return -1;
        for (size_t i = 0; i < n->n; i++)
            if (emit_node(em, n->items[i], flow))
                return -1;
        yaml_sequence_end_event_initialize(&ev);
        return emit(em, &ev);
    case YNODE_MAP:
        yaml_mapping_start_event_initialize(
            &ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_ANY_MAPPING_STYLE);
        if (emit(em, &ev))
            return -1;
        for (size_t i = 0; i < n->n; i++)
            if (emit_node(em, n->pairs[i].key, flow) || emit_node(em, n->pairs[i].value, flow))
                return -1;
        yaml_mapping_end_event_initialize(&ev);
        return emit(em, &ev);
    }
    return -1;
}

/* One document holding root, stream start to stream end. 0 or -1. */
static int emit_document(yaml_emitter_t *em, const struct ynode *root, int flow)
{
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    int rc = emit(em, &ev);
    if (!rc) {
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
        rc = emit(em, &ev);
    }
    if (!rc)
        rc = emit_node(em, root, flow);
    if (!rc) {
        yaml_document_end_event_initialize(&ev, 1);
        rc = emit(em, &ev);
    }
    if (!rc) {
        yaml_stream_end_event_initialize(&ev);
        rc = emit(em, &ev);
    }
    return rc;
}

int yemit_file(const struct ynode *root, const char *header, const char *path, struct diag *d)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        diag_set(d, path, 0, 0, "cannot write: %s", strerror(errno));
        return -1;
    }
    if (header)
        fputs(header, f);
    fflush(f);
    yaml_emitter_t em;
    yaml_emitter_initialize(&em);
    yaml_emitter_set_output_file(&em, f);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, 100);
    int rc = emit_document(&em, root, 0);
    if (!rc && !yaml_emitter_flush(&em))
        rc = -1;
    const char *problem = em.problem;
    yaml_emitter_delete(&em);
    if (fclose(f) || rc) {
        diag_set(d, path, 0, 0, "cannot write YAML: %s", problem ? problem : strerror(errno));
        return -1;
    }
    return 0;
}

char *yemit_flow(const struct ynode *n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    yaml_emitter_t em;
    yaml_emitter_initialize(&em);
    yaml_emitter_set_output_file(&em, f);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1); /* one line, however long */
    int rc = emit_document(&em, n, 1);
    if (!rc && !yaml_emitter_flush(&em))
        rc = -1;
    yaml_emitter_delete(&em);
    if (fclose(f) || rc) {
        free(text);
        return NULL;
    }
    /* Drop the line ends and the "..." libyaml ends an open plain scalar with. */
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        text[--len] = '\0';
    if (len >= 4 && strcmp(text + len - 4, "\n...") == 0)
        text[len -= 4] = '\0';
    else if (len == 3 && strcmp(text, "...") == 0)
        text[len = 0] = '\0';
    return text;
}
