#ifndef KSIM_IO_KUBECONFIG_H
#define KSIM_IO_KUBECONFIG_H
/*
 * Reads a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) into
 * the typed struct kube_config of models/kube/profile.h, applying upstream's
 * defaulting (pkg/scheduler/apis/config/v1/defaults.go: one
 * "default-scheduler" profile when none is given, the default plugins merged
 * into each profile, plugin-arg defaults) and validation
 * (validation/validation.go, validation_pluginargs.go). Errors are one
 * "file:line:col: message" in d; unknown plugin names get a did-you-mean.
 *
 * Top-level keys of the real type that ksim does not use (parallelism,
 * leaderElection, clientConnection, extenders, ...) are accepted and
 * ignored, so a production configuration file loads as is. The backoff
 * bounds are always validated; a scenario also uses them (struct
 * kubeconfig_backoff).
 */
#include <stdint.h>

#include "models/kube/profile.h"
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

/* Reads the configuration object doc (a mapping). 0, or -1 with d filled. */
int kubeconfig_read(const struct ynode *doc, struct kube_config *out, struct diag *d);

/*
 * Loads a file holding one KubeSchedulerConfiguration document. The tree is
 * freed before returning; out owns everything it holds.
 */
int kubeconfig_load_file(const char *path, struct kube_config *out, struct diag *d);

/*
 * podInitialBackoffSeconds and podMaxBackoffSeconds of a configuration, in
 * whole seconds, defaulted (pkg/scheduler/apis/config/v1/defaults.go: 1 and
 * 10 when unset) and validated (validation/validation.go: initial > 0, max
 * >= initial; ksim also caps both at KUBECONFIG_MAX_BACKOFF). Errors:
 *   podInitialBackoffSeconds: must be at least 1, got 0
 *   podMaxBackoffSeconds: must be at least podInitialBackoffSeconds (5), got 2
 *   podInitialBackoffSeconds: 20 is above the default podMaxBackoffSeconds (10); set both
 */
#define KUBECONFIG_MAX_BACKOFF 86400
struct kubeconfig_backoff {
    int64_t initial_seconds;
    int64_t max_seconds;
};

/* What a scenario's spec.scheduler says about the `kube` policy. */
struct kubeconfig_choice {
    struct kube_config *config;        /* NULL: the upstream default configuration */
    struct kubeconfig_backoff backoff; /* config's backoff bounds (when config is set) */
    char *profile;                     /* NULL: "default-scheduler" */
    int tie_first;                     /* tieBreak: first */
};

/*
 * Reads the kube keys of a scenario's spec.scheduler mapping: config (an
 * inline KubeSchedulerConfiguration), configFile (a path relative to dir),
 * profile (a schedulerName the configuration must have) and tieBreak
 * (random | first). Keys absent leave the defaults.
 */
int kubeconfig_read_scenario(const struct ynode *sched, const char *dir,
                             struct kubeconfig_choice *out, struct diag *d);
void kubeconfig_choice_release(struct kubeconfig_choice *c);

#endif
