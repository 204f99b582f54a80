#ifndef KSIM_IO_PLOTSCRIPTS_H
#define KSIM_IO_PLOTSCRIPTS_H
/*
 * The gnuplot scripts of scripts/plot/, compiled in: the build turns each
 * scripts/plot/<name>.gp into one entry (cmake/embed_plot_scripts.cmake), so
 * the text here is always the text in the source tree.
 */

struct plotscript {
    const char *name; /* the file name without .gp */
    const char *text;
};

/* Sorted by name, ended by an entry with name NULL. */
extern const struct plotscript plotscripts[];

#endif
