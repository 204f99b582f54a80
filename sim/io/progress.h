#ifndef KSIM_IO_PROGRESS_H
#define KSIM_IO_PROGRESS_H
/*
 * A progress bar on stderr for long runs: shown only when stderr is a
 * terminal and CI is unset, and only once a run has lasted a second. The
 * wall clock is read here for display and never reaches the simulation.
 */
struct progress {
    int enabled;
    int shown;
    double start, last; /* monotonic seconds */
};

/* Decides whether to show a bar (terminal, no CI, not forced off). */
void progress_init(struct progress *p, int allow);
/* Updates the bar to fraction (0..1) of the run; cheap when nothing is drawn. */
void progress_update(struct progress *p, double fraction);
/* Erases the bar. */
void progress_done(struct progress *p);
/* Monotonic wall-clock seconds (for run.json and the bar). */
double progress_now(void);

#endif
