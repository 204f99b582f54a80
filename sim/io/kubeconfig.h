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
 * leaderElection, clientConnection, extenders, backoff seconds, ...) are
 * accepted and ignored, so a production configuration file loads as is.
 */
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

/* What a scenario's spec.scheduler says about the `kube` policy. */
struct kubeconfig_choice {
    struct kube_config *config; /* NULL: the upstream default configuration */
    char *profile;              /* NULL: "default-scheduler" */
    int tie_first;              /* tieBreak: first */
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
