/* model.h - the data every stage shares: suites and tests (from load/wts), as plain
 * structs. A struct suite owns its tests; suite_release() frees everything. */
#ifndef WM_MODEL_H
#define WM_MODEL_H

#include "match.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>

struct test_ops;

struct kv {
	char *key, *value;
};

struct test_dir {
	char *host;		/* absolute path of the fixture tree, or NULL: empty dir */
	char *guest;		/* guest path, e.g. "/sandbox" */
	const char *except;	/* names ending so are not copied (wasi-testsuite: ".cleanup"), or NULL */
};

struct file_check {
	char *path;		/* guest path, under one of the test's dirs */
	int exists;		/* 1 must exist, 0 must not, -1 unspecified */
	struct matcher content;	/* MATCH_ANY when unspecified */
	unsigned line, col;
};

struct expect {
	int *exit;		/* allowed exit codes; default {0} */
	size_t nexit;
	bool trap;
	bool refused;		/* the runtime must refuse the module (unsupported) */
	struct matcher out, err;
	struct file_check *files;
	size_t nfiles;
};

struct test {
	char *id;		/* "<suite>/<name>" */
	char *name;
	char *description;
	char *file;		/* suite file (or spec JSON) and the test's position in it */
	unsigned line, col;
	char *module;		/* absolute path */
	struct strvec args;
	struct kv *env;
	size_t nenv;
	char *stdin_data;	/* NULL: empty stdin */
	size_t stdin_len;
	struct test_dir *dirs;
	size_t ndirs;
	double timeout;		/* seconds; 0 = the run's default */
	struct strvec tags, requires, links;
	char *skip;		/* non-NULL: never run, outcome skip with this reason */
	char *spec;		/* the spec's position on the result: "deterministic" (any
				 * difference is a bug) or "nondeterministic" (the expectation is
				 * the set the spec allows); NULL: not stated (docs/suite-format.md) */
	struct expect expect;
	/* what the test needs of a runtime beyond a command (docs/adapters.md, "versions") */
	char *wasi;		/* WASI version: "wasm32-wasip1" (a core module), "wasm32-wasip2",
				 * "wasm32-wasip3" (components); NULL: wasm32-wasip1 */
	char *world;		/* NULL: wasi:cli/command */
	struct strvec proposals;	/* "http", "sockets" */
	struct test_ops *ops;	/* steps against the live guest (ops.h); NULL: a plain run */
	/* the WebAssembly feature the test probes (docs/suite-format.md "feature"): a key of the
	 * feature table's claims (features.json), e.g. "simd"; NULL: none. Such a test has a
	 * twin, "<name>+flag" (flag_variant), run with the adapter's flag for the feature. */
	char *feature;
	bool flag_variant;
};

struct suite {
	char *name;
	char *path;		/* the suite file or directory as given */
	char *description;
	char *kind;		/* "yaml" or "wasi-testsuite" */
	struct test *tests;
	size_t ntests;
};

void test_release(struct test *t);
void suite_release(struct suite *s);

#endif
