/* adapter.h - runner adapters (runners/<name>.yaml, see docs/adapters.md): how to
 * find a runtime, read its version, build its command line, and classify its exits.
 * A struct adapter owns everything in it; adapter_release() frees it. */
#ifndef WM_ADAPTER_H
#define WM_ADAPTER_H

#include "diag.h"
#include "model.h"

enum preopen_mode { PREOPEN_MAP, PREOPEN_SAME_PATH, PREOPEN_CWD };
/* The streams a runtime prints its own messages on (adapter key speaks_on). */
enum speaks_on { SPEAKS_STDERR, SPEAKS_STDOUT, SPEAKS_BOTH };

/* One classify.<kind> rule: it can only fire for the runtime's own exit codes. A code a
 * guest could also exit with (<= exit_passthrough_max) needs one of the patterns, which
 * are anchored (^ = a line start, \A = the stream's start) and compiled multi-line. */
struct classify_rule {
	int *exit;
	size_t nexit;
	void **stderr_re, **stdout_re;	/* compiled PCRE2 patterns */
	struct strvec stderr_pat, stdout_pat;
};

/* Which rule fired and the runtime's line it fired on (both malloc'd). */
struct classify_hit {
	char *rule;		/* "classify.trap.stderr[1]", "classify.trap.exit" */
	char *excerpt;		/* the matched line, or the runtime's last line; at most 160 bytes */
};

/* How the runtime caches compiled code (adapter key cache, docs/adapters.md). {cache} in
 * these templates is the runtime's cache directory (one per runtime@version, see run.h);
 * with the cache off (--cold) none of them is used and {cache...} expands to nothing. */
struct cache_spec {
	bool on;		/* the adapter has a cache key */
	struct strvec args;	/* the words put where command has {cache...} */
	struct kv *env;		/* added to the runtime's environment */
	size_t nenv;
	struct kv *files;	/* name -> content, written into the cache directory */
	size_t nfiles;
	struct strvec compile;	/* a command that compiles {module} into the cache without
				 * running it, or empty */
};

struct known_div {
	char *test;		/* glob on the test id */
	char *reason, *link;
};

/* One WASI version the runtime runs (key versions, docs/adapters.md). */
struct adapter_version {
	char *name;		/* "wasm32-wasip1", "wasm32-wasip2", "wasm32-wasip3" */
	struct strvec command;	/* for the world wasi:cli/command; empty: the top-level command */
	char **worlds;		/* other worlds it runs, each with its command */
	struct strvec *world_cmds;
	size_t nworlds;
	struct kv *proposals;	/* proposal -> the text {proposals} gets for it */
	size_t nproposals;
};

struct adapter {
	char *name, *title, *file, *dir;
	/* the architecture (arch.h): base is the adapter's own name; name is base, or
	 * "base/arch" for a runtime of a foreign architecture, which is found in arch_dir only
	 * and launched with the words of launch (the emulator) before its command lines;
	 * time_scale multiplies its timeouts. arch is the host's for the others. */
	char *base, *arch, *arch_dir;
	struct strvec launch;
	double time_scale;
	struct strvec exes, needs;
	char *env_override, *install;
	struct strvec version_args;
	void *version_re;
	struct strvec command, env_arg, dir_arg, args_prefix;
	bool has_env_arg, has_dir_arg, stdin_none;
	enum preopen_mode preopens;
	enum speaks_on speaks_on;
	struct kv *set_env;
	size_t nset_env;
	struct classify_rule crash, trap, unsupported;
	int exit_passthrough_max;
	struct strvec lacks;
	struct known_div *known;
	size_t nknown;
	struct cache_spec cache;
	struct adapter_version *versions;	/* NULL: wasm32-wasip1 only, by the top-level command */
	size_t nversions;
	/* launcher (docs/adapters.md "Warm launchers"): a long-lived process that runs many
	 * modules, one request each; empty command: none */
	struct strvec launcher_command, launcher_request;
	/* features (docs/adapters.md "Feature flags"): claims key -> the words that enable it,
	 * put where the command has {features...} for a test's flag variant */
	char **feature_keys;
	struct strvec *feature_args;
	size_t nfeatures;
	bool has_features_slot;	/* command has {features...} */
	/* filled by adapter_probe() */
	char *exe, *version, *missing;	/* missing: why it is not usable, or NULL */
	struct strvec exe_args;	/* the words after the executable in find.env's variable
				 * (WASMTIME="wasmtime -W threads=y"): put at {features...}, else
				 * right after a whole-word {exe} */
};

int adapter_load(struct adapter *a, const char *file, struct diag *d);
/* Loads every <name>.yaml in dir, sorted by name. */
int adapter_load_dir(struct adapter **out, size_t *n, const char *dir, struct diag *d);
void adapter_release(struct adapter *a);
/* Finds the executable (env override, runtimes dir, PATH) and reads the version. */
void adapter_probe(struct adapter *a, const char *runtimes_dir);

/* How one preopen is given to this runtime for a run: */
struct preopen {
	char *host;		/* path handed to the runtime (copy of the fixture tree) */
	char *guest;		/* guest path the runtime will expose */
};

/* Why this runtime cannot run a test of its kind at all (malloc'd): a WASI version, a
 * world or a proposal its adapter does not declare (versions); the result is
 * 'unsupported'. NULL when it can. */
char *adapter_unsupported(const struct adapter *a, const struct test *t);
/* The words enabling a feature (features key), or NULL when the adapter declares none. */
const struct strvec *adapter_feature_args(const struct adapter *a, const char *feature);
/* Splits s into words as a POSIX shell would without expanding anything: blanks separate,
 * '...' is literal, "..." keeps blanks and takes \ before $ ` " \ and newline, a \ outside
 * quotes takes the next character literally. Returns 0, or -1 with *err (malloc'd) for an
 * unterminated quote or a trailing backslash. */
int shell_split(const char *s, struct strvec *out, char **err);

/* True when the adapter runs modules of this WASI version ("wasm32-wasip1", ...): it
 * declares it in versions, or declares none and the version is wasm32-wasip1. */
bool adapter_declares(const struct adapter *a, const char *wasi);
/* Why a test cannot run on this runtime (malloc'd), or NULL. */
char *adapter_cannot_run(const struct adapter *a, const struct test *t);
/* Appends the runtime's command line for a run to argv. It cannot fail: whether the test
 * can run on this runtime at all is adapter_cannot_run's question, asked before. cache is
 * the runtime's compile cache directory, or NULL to run without it. */
void adapter_argv(const struct adapter *a, const struct test *t, const struct preopen *pre,
		  size_t npre, const char *cwd, const char *cache, struct strvec *argv);
/* The cache.compile command for module t->module (cache not NULL; a.cache.compile.n > 0). */
void adapter_compile_argv(const struct adapter *a, const struct test *t, const char *cwd, const char *cache,
			  struct strvec *argv);
/* The launcher's command line (launcher.command; a.launcher_command.n > 0). */
void adapter_launcher_argv(const struct adapter *a, const char *cache, struct strvec *argv);
/* One run's request to the launcher (launcher.request), expanded as command is. */
void adapter_request_argv(const struct adapter *a, const struct test *t, const struct preopen *pre,
			  size_t npre, const char *cwd, const char *cache, struct strvec *argv);
/* Appends "K=V" for each cache.env entry, {cache} expanded. */
void adapter_cache_env(const struct adapter *a, const char *cache, struct strvec *envp);
/* The content of cache.files[i] with {cache} expanded (malloc'd). */
char *adapter_cache_file(const struct adapter *a, size_t i, const char *cache);
/* The known divergence matching a test id, or NULL. */
const struct known_div *adapter_known(const struct adapter *a, const char *test_id);
/* Does this run, which exited with exit_code, match classify.<kind> of the adapter? On a
 * match fills *hit (release with classify_hit_release). */
bool classify_match(const struct adapter *a, const char *kind, int exit_code, const char *out,
		    size_t outn, const char *err, size_t errn, struct classify_hit *hit);
void classify_hit_release(struct classify_hit *hit);
/* The last non-empty line of what the runtime speaks on (malloc'd, at most 160 bytes). */
char *classify_last_line(const struct adapter *a, const char *out, size_t outn, const char *err,
			 size_t errn);

#endif
