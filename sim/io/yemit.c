#include "sim/io/yemit.h"

#include <errno.h>
#include <stdio.h>
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

static int emit_node(yaml_emitter_t *em, const struct ynode *n)
{
    yaml_event_t ev;
    switch (n->kind) {
    case YNODE_SCALAR:
        return emit_scalar(em, n->str, n->len, n->plain);
    case YNODE_SEQ:
        yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_ANY_SEQUENCE_STYLE);
        if (emit(em, &ev))
            return -1;
        for (size_t i = 0; i < n->n; i++)
            if (emit_node(em, n->items[i]))
                return -1;
        yaml_sequence_end_event_initialize(&ev);
        return emit(em, &ev);
    case YNODE_MAP:
        yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_ANY_MAPPING_STYLE);
        if (emit(em, &ev))
            return -1;
        for (size_t i = 0; i < n->n; i++)
            if (emit_node(em, n->pairs[i].key) || emit_node(em, n->pairs[i].value))
                return -1;
        yaml_mapping_end_event_initialize(&ev);
        return emit(em, &ev);
    }
    return -1;
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
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    int rc = emit(&em, &ev);
    if (!rc) {
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
        rc = emit(&em, &ev);
    }
    if (!rc)
        rc = emit_node(&em, root);
    if (!rc) {
        yaml_document_end_event_initialize(&ev, 1);
        rc = emit(&em, &ev);
    }
    if (!rc) {
        yaml_stream_end_event_initialize(&ev);
        rc = emit(&em, &ev);
    }
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
