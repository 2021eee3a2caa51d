/* shard.c - see shard.h. */
#define _GNU_SOURCE
#include "shard.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool num(const char *s, long lo, long *out)
{
	char *e;
	if (!s || !*s)
		return false;
	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno || *e || v < lo || v > 1000000)
		return false;
	*out = v;
	return true;
}

static const char *env(const char *k)
{
	const char *v = getenv(k);
	return v && *v ? v : NULL;
}

int shard_parse(const char *spec, const char *count_opt, unsigned *k, unsigned *n,
		const char **source, char **why)
{
	long a, b, c;
	*why = NULL;
	if (strcmp(spec, "auto")) {
		const char *slash = strchr(spec, '/');
		char *ks = slash ? xstrndup(spec, (size_t)(slash - spec)) : NULL;
		bool ok = slash && num(ks, 1, &a) && num(slash + 1, 1, &b) && a <= b;
		free(ks);
		if (!ok) {
			*why = xasprintf("--shard takes K/N with 1 <= K <= N (e.g. 2/4) or 'auto', not '%s'", spec);
			return -1;
		}
		*k = (unsigned)a, *n = (unsigned)b, *source = "--shard";
		return 0;
	}
	const char *cnt = count_opt ? count_opt : env("WASMATRIX_SHARD_COUNT");
	/* GitLab sets CI_NODE_TOTAL=1 (and no CI_NODE_INDEX) in every job without parallel:;
	 * that job is the whole run unless another engine below says otherwise */
	bool gitlab_single = !env("CI_NODE_INDEX") && env("CI_NODE_TOTAL") && !strcmp(env("CI_NODE_TOTAL"), "1");
	if (env("JOB_COMPLETION_INDEX")) {
		/* Kubernetes Indexed Job: 0-based index; the count is the Job's completions,
		 * which the pod does not see: pass --shard-count or WASMATRIX_SHARD_COUNT */
		if (!num(env("JOB_COMPLETION_INDEX"), 0, &a)) {
			*why = xasprintf("JOB_COMPLETION_INDEX='%s' is not a number", env("JOB_COMPLETION_INDEX"));
			return -1;
		}
		if (!num(cnt, 1, &b)) {
			*why = xstrdup("JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job) but the shard count is not: "
				       "pass --shard-count N or set WASMATRIX_SHARD_COUNT to the Job's completions");
			return -1;
		}
		*k = (unsigned)a + 1, *n = (unsigned)b, *source = "Kubernetes (JOB_COMPLETION_INDEX)";
	} else if (env("CI_NODE_INDEX") || (env("CI_NODE_TOTAL") && !gitlab_single)) {
		/* GitLab CI parallel: CI_NODE_INDEX is 1-based */
		if (!num(env("CI_NODE_INDEX"), 1, &a) || !num(env("CI_NODE_TOTAL"), 1, &b)) {
			*why = xstrdup("GitLab CI: CI_NODE_INDEX and CI_NODE_TOTAL must both be numbers");
			return -1;
		}
		*k = (unsigned)a, *n = (unsigned)b, *source = "GitLab CI (CI_NODE_INDEX/CI_NODE_TOTAL)";
	} else if (env("BUILDKITE_PARALLEL_JOB") || env("BUILDKITE_PARALLEL_JOB_COUNT")) {
		/* Buildkite: 0-based job index */
		if (!num(env("BUILDKITE_PARALLEL_JOB"), 0, &a) || !num(env("BUILDKITE_PARALLEL_JOB_COUNT"), 1, &b)) {
			*why = xstrdup("Buildkite: BUILDKITE_PARALLEL_JOB and BUILDKITE_PARALLEL_JOB_COUNT must both be numbers");
			return -1;
		}
		*k = (unsigned)a + 1, *n = (unsigned)b, *source = "Buildkite (BUILDKITE_PARALLEL_JOB)";
	} else if (env("SLURM_ARRAY_TASK_ID")) {
		/* Slurm job array --array=MIN-MAX[:STEP]: task ID is MIN + (K-1)*STEP, and COUNT
		 * tasks. A list (--array=1,3,7) gives STEP=1 and no way to tell a task's
		 * position: refused unless it is a regular range. */
		long mx, step = 1;
		if (!num(env("SLURM_ARRAY_TASK_ID"), 0, &a) || !num(env("SLURM_ARRAY_TASK_MIN"), 0, &c) ||
		    !num(env("SLURM_ARRAY_TASK_COUNT"), 1, &b) ||
		    (env("SLURM_ARRAY_TASK_STEP") && !num(env("SLURM_ARRAY_TASK_STEP"), 1, &step)) ||
		    (env("SLURM_ARRAY_TASK_MAX") && !num(env("SLURM_ARRAY_TASK_MAX"), 0, &mx))) {
			*why = xstrdup("Slurm: SLURM_ARRAY_TASK_ID, _MIN, _COUNT (and _STEP, _MAX) must be numbers");
			return -1;
		}
		if (!env("SLURM_ARRAY_TASK_MAX"))
			mx = c + (b - 1) * step;	/* not set: taken to be one range */
		if (a < c || a > mx || (a - c) % step || mx < c || (mx - c) % step || (mx - c) / step + 1 != b) {
			*why = xasprintf("Slurm: task %ld of an array that is not one range MIN-MAX[:STEP] (MIN=%ld MAX=%ld "
					 "STEP=%ld COUNT=%ld): submit --array=A-B[:S], or pass --shard K/N",
					 a, c, mx, step, b);
			return -1;
		}
		a = (a - c) / step + 1;
		*k = (unsigned)a, *n = (unsigned)b, *source = "Slurm (SLURM_ARRAY_TASK_ID)";
	} else if (gitlab_single) {
		*k = *n = 1, *source = "GitLab CI (CI_NODE_TOTAL=1: a job without parallel:)";
	} else {
		*why = xstrdup("--shard auto: no CI engine found in the environment (looked for JOB_COMPLETION_INDEX, "
			       "CI_NODE_INDEX/CI_NODE_TOTAL, BUILDKITE_PARALLEL_JOB/_COUNT, SLURM_ARRAY_TASK_ID/_MIN/_MAX/_STEP/_COUNT); "
			       "use --shard K/N");
		return -1;
	}
	if (*k < 1 || *k > *n) {
		*why = xasprintf("%s gives shard %u of %u, which is out of range", *source, *k, *n);
		return -1;
	}
	return 0;
}

const char *shard_env_run_id(void)
{
	static const char *const vars[] = { "WASMATRIX_RUN_ID", "GITHUB_RUN_ID", "CI_PIPELINE_ID",
		"BUILDKITE_BUILD_ID", "SLURM_ARRAY_JOB_ID" };
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
		if (env(vars[i]))
			return env(vars[i]);
	return NULL;
}
