/* readers.c - libFuzzer targets for every reader of untrusted input. Any input must give
 * either a value or diagnostics, never a crash, a leak, undefined behaviour or a hang.
 * One binary, the target chosen by $WASMATRIX_FUZZ_TARGET (scripts/fuzz.sh sets it):
 *   wasm      harness/wasm.c: a module
 *   suite     harness/load.c + ynode.c: a YAML suite (modules resolve under a fixtures link)
 *   adapter   harness/adapter.c: a runner adapter, then its command line for a fixed test
 *   baseline  harness/baseline.c: a baseline file, then its version ranges
 *   wts       harness/wts.c: a wasi-testsuite spec (input = spec [\x01 manifest])
 *   results   harness/results_read.c: a results file
 *   claims    harness/claims.c: a feature claims table (features.json)
 *   json      harness/jsonload.c against jansson: the fast reader must accept exactly
 *             what json_loadb accepts (flags as results_read.c passes them), with an equal value
 *   archive   harness/net.c net_unpack: the input unpacked; no link left may resolve
 *             outside the destination, and nothing may appear outside it
 * Readers taking a path get the input through a file in a per-process temp dir, removed
 * at exit. $WASMATRIX_FUZZ_ROOT is the checkout (for fixtures/; default: cwd). */
#define _GNU_SOURCE
#include "adapter.h"
#include "inspect.h"
#include "baseline.h"
#include "claims.h"
#include "jsonload.h"
#include "../reports/jsonw.h"
#include "load.h"
#include "net.h"
#include "results_read.h"
#include "util.h"
#include "wasm.h"
#include "wts.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's entry points share state only through these (set once at start-up) */
static int target;
static char tmp[PATH_MAX];	/* per-process temp dir */
enum { T_WASM, T_SUITE, T_ADAPTER, T_BASELINE, T_WTS, T_RESULTS, T_JSON, T_ARCHIVE, T_CLAIMS };
static const char *const names[] = { "wasm", "suite", "adapter", "baseline", "wts", "results", "json",
	"archive", "claims" };

static void die(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

static void cleanup(void)
{
	if (tmp[0])
		fs_remove_tree(tmp);
}

static void put(const char *rel, const void *data, size_t n)
{
	char *p = path_join(tmp, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (n && write(fd, data, n) != (ssize_t)n) || close(fd) < 0)
		die("cannot write the input file");
	free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *t = getenv("WASMATRIX_FUZZ_TARGET");
	target = -1;
	for (size_t i = 0; t && i < sizeof names / sizeof *names; i++)
		if (!strcmp(t, names[i]))
			target = (int)i;
	if (target < 0)
		die("set WASMATRIX_FUZZ_TARGET to wasm, suite, adapter, baseline, wts, results, json, archive or claims");
	const char *base = getenv("TMPDIR");
	snprintf(tmp, sizeof tmp, "%s/wm-fuzz.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmp))
		die("mkdtemp");
	atexit(cleanup);
	char root[PATH_MAX];
	const char *r = getenv("WASMATRIX_FUZZ_ROOT");
	if (!realpath(r && *r ? r : ".", root))
		die("WASMATRIX_FUZZ_ROOT");
	/* suites at <tmp>/suites/f/suite.yaml find ../../fixtures/... as the bundled ones do */
	char *p = path_join(tmp, "suites"), *q = path_join(tmp, "suites/f"), *fx = path_join(root, "fixtures"),
	     *l = path_join(tmp, "fixtures");
	if (mkdir(p, 0755) || mkdir(q, 0755) || symlink(fx, l))
		die("temp layout");
	free(p), free(q), free(fx), free(l);
	/* a wasi-testsuite directory: a real module, a fixture dir, and the manifest */
	static const unsigned char mod[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
	if (mkdir(p = path_join(tmp, "wts"), 0755) || mkdir(q = path_join(tmp, "wts/fs-tests.dir"), 0755))
		die("temp layout");
	free(p), free(q);
	put("wts/t.wasm", mod, sizeof mod);
	put("wts/fs-tests.dir/a.txt", "a\n", 2);
	return 0;
}

/* ---- oracles for the archive target: no link under dir resolves outside root */
static void check_links(const char *root, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t rl = strlen(root);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_join(dir, e->d_name), r[PATH_MAX];
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && realpath(p, r) &&
		    (strncmp(r, root, rl) || (r[rl] && r[rl] != '/'))) {
			fprintf(stderr, "fuzz: unpacked link %s resolves outside the tree: %s\n", p, r);
			abort();
		}
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			check_links(root, p);
		free(p);
	}
	if (d)
		closedir(d);
}

static void fuzz_archive(const uint8_t *data, size_t size)
{
	put("a.tar", data, size);
	char *a = path_join(tmp, "a.tar"), *dest = path_join(tmp, "out/d"), *out = path_join(tmp, "out");
	char *why = NULL, canon[PATH_MAX];
	if (mkdir(out, 0755) || !realpath(out, canon))
		die("temp layout");
	strcat(canon, "/d");
	/* caps as a run has them, smaller: the fuzzer's inputs are small */
	struct net_opts o = { .max_size = 64LL << 20, .max_entries = 10000 };
	int rc = net_unpack(a, dest, &o, &why);
	if ((rc < 0) != (why != NULL))
		die("net_unpack: an error always comes with its message");
	/* nothing beside the destination, and nothing inside it leads out */
	DIR *dir = opendir(out);
	struct dirent *e;
	while (dir && (e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "d")) {
			fprintf(stderr, "fuzz: net_unpack wrote '%s' beside its destination\n", e->d_name);
			abort();
		}
	if (dir)
		closedir(dir);
	if (rc == 0)
		check_links(canon, dest);
	free(why);
	/* make everything removable: unpacked modes are masked with 0755 */
	fs_remove_tree(out);
	free(a), free(dest), free(out);
}

/* Does any string value in j hold a NUL? */
static bool any_nul(const json_t *j)
{
	size_t i;
	const char *k;
	json_t *x;
	if (json_is_string(j))
		return memchr(json_string_value(j), 0, json_string_length(j)) != NULL;
	if (json_is_array(j)) {
		json_array_foreach(j, i, x)
			if (any_nul(x))
				return true;
	} else if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, x)
			if (any_nul(x))
				return true;
	}
	return false;
}

/* The reports' streaming writer (reports/jsonw.c) writes exactly what jansson's dump
 * does, indented and compact (with '<' as \u003c, as report_json_script did). */
static void same_dump(const json_t *j)
{
	char *ref = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b, NULL, 1, false);
	jw_value(&w, j);
	if (!ref || strcmp(ref, b.data ? b.data : ""))
		die("jsonw and json_dumps(JSON_INDENT(1)) differ");
	free(ref);
	ref = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct buf c = BUF_INIT;
	for (const char *p = ref ? ref : ""; *p; p++)
		*p == '<' ? buf_adds(&c, "\\u003c") : buf_addc(&c, *p);
	b.len = 0;
	jw_init(&w, &b, NULL, 0, true);
	jw_value(&w, j);
	if (!ref || strcmp(c.data ? c.data : "", b.data ? b.data : ""))
		die("jsonw (script) and json_dumps(JSON_COMPACT) differ");
	free(ref);
	buf_release(&b);
	buf_release(&c);
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	json_error_t e;
	bool nul = true;
	json_t *fast = jsonload_fast((const char *)data, size, &nul);
	json_t *ref = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	if (fast && !ref)
		die("jsonload_fast accepted what json_loadb refuses");
	if (fast && !json_equal(fast, ref))
		die("jsonload_fast and json_loadb read different values");
	if (fast && nul != any_nul(ref))
		die("jsonload_fast's NUL flag is wrong (results_read.c skips its NUL check on it)");
	if (fast)
		same_dump(fast);
	json_decref(fast);
	json_decref(ref);
}

static void fuzz_adapter(const char *file)
{
	struct adapter a;
	struct diag d = DIAG_INIT;
	memset(&a, 0, sizeof a);
	if (adapter_load(&a, file, &d) == 0) {
		if (d.errors)
			die("adapter_load succeeded with errors");
		/* the command line for a test using every placeholder */
		struct test t;
		memset(&t, 0, sizeof t);
		t.id = "s/t-1";
		t.module = "/m/t.wasm";
		strvec_push(&t.args, "a b");
		strvec_push(&t.args, "{exe}");
		struct kv env = { "K", "{value}" };
		t.env = &env, t.nenv = 1;
		struct preopen pre = { "/h/{guest}", "/g" };
		a.exe = xstrdup("/bin/rt");
		char *cannot = adapter_cannot_run(&a, &t);
		struct strvec argv = STRVEC_INIT;
		adapter_argv(&a, &t, &pre, 1, "/c", "/cache", &argv);
		if (a.cache.compile.n)
			adapter_compile_argv(&a, &t, "/c", "/cache", &argv);
		adapter_cache_env(&a, "/cache", &argv);
		for (size_t i = 0; i < a.cache.nfiles; i++)
			free(adapter_cache_file(&a, i, "/cache"));
		adapter_known(&a, t.id);
		struct classify_hit hit;
		if (classify_match(&a, "crash", 134, "out", 3, "panicked at", 11, &hit))
			classify_hit_release(&hit);
		if (classify_match(&a, "unsupported", 1, "", 0, "", 0, &hit))
			classify_hit_release(&hit);
		free(classify_last_line(&a, "out\n", 4, "err", 3));
		strvec_release(&argv);
		strvec_release(&t.args);
		free(cannot);
	} else if (!d.errors) {
		die("adapter_load failed without an error");
	}
	adapter_release(&a);
	diag_release(&d);
}

static void fuzz_baseline(const char *file)
{
	struct baseline b;
	struct diag d = DIAG_INIT;
	memset(&b, 0, sizeof b);
	if (baseline_load(&b, file, &d) == 0) {
		for (size_t i = 0; i < b.n; i++)
			if (b.v[i].version)
				baseline_version_match(b.v[i].version, "1.2.3-rc.1");
	} else if (!d.errors) {
		die("baseline_load failed without an error");
	}
	baseline_release(&b);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	switch (target) {
	case T_WASM: {
		struct wasm_module m;
		char *err = NULL;
		int rc = wasm_parse(&m, data, size, &err);
		if ((rc < 0) != (err != NULL))
			die("wasm_parse: an error always comes with its message");
		for (int f = 0; f < WF__COUNT; f++)
			if (m.features[f].count && !m.features[f].first)
				die("wasm_parse: a counted feature without its first use");
		/* components: member lists in range, nested core modules kept within the cap */
		for (size_t i = 0; i < m.nimports + m.nexports; i++) {
			uint32_t l = i < m.nimports ? m.imports[i].members : m.exports[i - m.nimports].members;
			if (l > m.nlists)
				die("wasm_parse: a member list out of range");
		}
		if (m.ncores > WASM_MAX_CORES || m.ncores > m.ncore_modules)
			die("wasm_parse: more core modules kept than read or allowed");
		for (size_t i = 0; i < m.ncores; i++)
			if (!m.cores[i].where || m.cores[i].component)
				die("wasm_parse: a kept core module without its place, or a component");
		/* the views are made from whatever was read, error or not */
		FILE *nul = fopen("/dev/null", "w");
		if (nul) {
			struct inspect in = { "fuzz.wasm", m, err };
			struct inspect_opts io = { false };
			char *rerr = NULL;
			if (inspect_text_render(&in, &io, nul, &rerr) < 0 || inspect_json_render(&in, &io, nul, &rerr) < 0)
				die("inspect: a view of a read module cannot be written to /dev/null");
			free(rerr);
			fclose(nul);
		}
		wasm_module_release(&m);
		free(err);
		break;
	}
	case T_SUITE: {
		struct suite s;
		put("suites/f/suite.yaml", data, size);
		char *f = path_join(tmp, "suites/f/suite.yaml");
		int rc = load_suite_net(&s, f, NULL, &d);
		if ((rc < 0) != (d.errors > 0))
			die("load_suite_net: failure and errors disagree");
		suite_release(&s);
		free(f);
		break;
	}
	case T_ADAPTER: {
		put("adapter.yaml", data, size);
		char *f = path_join(tmp, "adapter.yaml");
		fuzz_adapter(f);
		free(f);
		break;
	}
	case T_BASELINE: {
		put("baseline.yaml", data, size);
		char *f = path_join(tmp, "baseline.yaml");
		fuzz_baseline(f);
		free(f);
		break;
	}
	case T_WTS: {
		static const char manifest[] = "{\"name\": \"fuzz\"}\n";
		const uint8_t *sep = memchr(data, 1, size);
		size_t n = sep ? (size_t)(sep - data) : size;
		put("wts/t.json", data, n);
		if (sep)
			put("wts/manifest.json", sep + 1, size - n - 1);
		else
			put("wts/manifest.json", manifest, sizeof manifest - 1);
		struct suite s;
		char *dir = path_join(tmp, "wts");
		int rc = wts_load(&s, dir, &d);
		if ((rc < 0) != (d.errors > 0))
			die("wts_load: failure and errors disagree");
		suite_release(&s);
		free(dir);
		break;
	}
	case T_RESULTS: {
		struct results rf;
		put("results.json", data, size);
		char *f = path_join(tmp, "results.json");
		int rc = results_load(&rf, f, &d);
		if ((rc < 0) != (d.errors > 0))
			die("results_load: failure and errors disagree");
		results_release(&rf);
		free(f);
		break;
	}
	case T_CLAIMS: {
		struct claims c;
		put("features.json", data, size);
		char *f = path_join(tmp, "features.json");
		int rc = claims_load(&c, f, &d);
		if ((rc < 0) != (d.errors > 0))
			die("claims_load: failure and errors disagree");
		claims_release(&c);
		free(f);
		break;
	}
	case T_JSON:
		fuzz_json(data, size);
		break;
	case T_ARCHIVE:
		fuzz_archive(data, size);
		break;
	}
	diag_release(&d);
	return 0;
}
