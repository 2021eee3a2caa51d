/* load.h - read a suite from disk: a YAML suite file, a directory holding suite.yaml,
 * or a directory in the official wasi-testsuite layout (see wts.h). Every input error
 * goes to 'd'; the caller prints them and exits 2. */
#ifndef WM_LOAD_H
#define WM_LOAD_H

#include "diag.h"
#include "model.h"

struct net_opts;
/* Where a suite may fetch modules given by URL ({url, sha256}); NULL: not allowed.
 * failures counts network/verification failures (the command then exits 3). */
struct load_net {
	const struct net_opts *opts;
	int failures;
};

/* Returns 0 or -1 (errors in d). 's' is filled either way and must be released. net may
 * be NULL: then a suite that names a URL is an error rather than a download. */
int load_suite_net(struct suite *s, const char *path, struct load_net *net, struct diag *d);
/* The YAML form only. */
int load_yaml_suite(struct suite *s, const char *file, struct load_net *net, struct diag *d);
/* Adds the map n's variables to t->env (names checked as ynode_env_key does); a name
 * already there gets the new value instead of being passed twice. false on an error
 * (in d). Shared by YAML suites and wasi-testsuite specs. */
struct ynode;
bool load_env_map(const struct ynode *n, const char *file, struct diag *d, struct test *t);

#endif
