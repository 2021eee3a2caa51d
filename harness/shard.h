/* shard.h - which shard of a run this process is: "K/N" (1-based), or "auto" read from
 * the environment of the CI engine running us (Kubernetes Indexed Jobs, GitLab CI
 * parallel:, Buildkite, Slurm job arrays). */
#ifndef WM_SHARD_H
#define WM_SHARD_H

/* count_opt: --shard-count, or NULL. Returns 0, or -1 with *why (malloc'd). On success
 * *source names where the numbers came from (static string). */
int shard_parse(const char *spec, const char *count_opt, unsigned *k, unsigned *n,
		const char **source, char **why);
/* A run id shared by every shard of one CI run, from the engine's environment, or NULL. */
const char *shard_env_run_id(void);

#endif
