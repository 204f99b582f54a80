/*
 * `kube`: kube-scheduler's framework (models/kube) as a placement policy, so
 * that `ksim run` takes exactly the code path `ksim score` explains. The
 * profile comes from the scenario's KubeSchedulerConfiguration, or is
 * upstream's default profile.
 */
#include <stdio.h>
#include <string.h>

#include "models/kube/framework.h"
#include "models/kube/profile.h"
#include "models/placement/placement.h"
#include "sim/base/diag.h"

struct state {
    struct framework *fw;
};

static int init(void *state, const struct cluster *c, const struct placement_env *env)
{
    (void)c;
    struct state *s = state;
    struct kube_config def;
    const struct kube_config *cfg = env->kube;
    if (!cfg) {
        kube_config_default(&def);
        cfg = &def;
    }
    const char *name = env->kube_profile ? env->kube_profile : "default-scheduler";
    const struct kube_profile *prof = kube_config_find(cfg, name);
    char err[256] = "";
    if (prof)
        s->fw = framework_new(prof, cfg->percentage,
                              env->kube_tie_first ? KUBE_TIE_FIRST : KUBE_TIE_RANDOM,
                              env->kube_rng ? env->kube_rng : env->rng, err, sizeof err);
    else
        fprintf(stderr, "ksim: no scheduler profile '%s'\n", name);
    if (!s->fw && prof)
        fprintf(stderr, "ksim: %s\n", err);
    if (cfg == &def)
        kube_config_release(&def);
    return s->fw ? 0 : -1;
}

static void release(void *state)
{
    struct state *s = state;
    framework_free(s->fw);
}

static int32_t place(void *state, const struct cluster *c, int32_t pod)
{
    return framework_schedule(((struct state *)state)->fw, c, pod);
}

static void explain(void *state, const struct cluster *c, int32_t pod, char *buf, size_t len)
{
    framework_fit_error(((struct state *)state)->fw, c, pod, buf, len);
}

const struct placement_ops placement_kube_ops = {
    .name = "kube",
    .summary = "kube-scheduler's framework: the profile's filters and weighted scores",
    .state_size = sizeof(struct state),
    .init = init,
    .release = release,
    .place = place,
    .explain = explain,
    .honours = "every Filter plugin of the profile (default: all of them)",
};

struct framework *placement_kube_framework(const struct placement *p)
{
    return p->ops == &placement_kube_ops ? ((struct state *)p->state)->fw : NULL;
}
