/* load.c - YAML suites into struct suite; see docs/suite-format.md. Validation is
 * exhaustive: every problem is reported, nothing stops at the first error. */
#define _GNU_SOURCE
#include "load.h"
#include "net.h"
#include "fixture.h"
#include "guestpath.h"
#include "suitetree.h"
#include "ops.h"
#include "wasm.h"
#include "wts.h"
#include "ynode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


static const char *const suite_keys[] = { "name", "description", "defaults", "tests" };
static const char *const test_keys[] = { "name", "description", "module", "args", "env",
	"stdin", "dirs", "timeout", "tags", "requires", "links", "skip", "expect",
	"operations", "servers", "proposals", "world", "wasi", "feature", "spec" };
static const char *const expect_keys[] = { "exit", "stdout", "stderr", "trap", "refused", "files" };
static const char *const matcher_keys[] = { "exact", "prefix", "contains", "regex",
	"normalize_newlines" };
static const char *const file_keys[] = { "path", "exists", "content", "regex" };
static const char *const dir_keys[] = { "host", "guest" };
static const char *const stdin_keys[] = { "file" };

struct ctx {
	const char *file;	/* suite file */
	char *base;		/* its directory (canonical) */
	struct diag *d;
	struct load_net *net;
	char *tree;		/* what the suite may name: see suitetree_root() */
};

static const char *const url_keys[] = { "url", "sha256", "missing" };

/* A path the suite names ('what' at v), resolved with every link followed; it must lie in
 * the suite's tree. 0: *out is canonical. -1: reported here (absolute, or outside the
 * tree). -2: it does not resolve (errno); *out is the joined path, for the caller's message. */
static int suite_path(struct ctx *c, const struct ynode *v, const char *rel, const char *what, char **out)
{
	char *why = NULL;
	int r = suitetree_resolve(c->tree, c->base, rel, out, &why);
	if (r == -1) {
		diag_error(c->d, c->file, v->line, v->col, "%s %s", what, why);
		free(why);
	} else if (r == -2) {
		int e = errno;
		*out = path_join(c->base, rel);
		errno = e;
	}
	return r;
}

/* A string (exact) or {exact|prefix|contains|regex: s, normalize_newlines: b}. */
static bool parse_matcher(struct ctx *c, const struct ynode *n, const char *what, struct matcher *m)
{
	match_release(m);
	if (n->kind == YN_SCALAR) {
		m->kind = MATCH_EXACT;
		m->text = xmalloc(n->len + 1);
		memcpy(m->text, n->str, n->len);
		m->text[n->len] = 0;
		m->len = n->len;
		return true;
	}
	if (!ynode_expect(n, YN_MAP, c->file, what, c->d))
		return false;
	bool ok = ynode_check_keys(n, c->file, what, matcher_keys, N_ELEMS(matcher_keys), c->d);
	const struct ynode *val = NULL;
	for (size_t i = 0; i < YMAP_PAIRS(n); i++) {
		const struct ynode *k = YMAP_KEY(n, i), *v = YMAP_VAL(n, i);
		if (!strcmp(k->str, "normalize_newlines")) {
			ok &= ynode_bool(v, c->file, "normalize_newlines", c->d, &m->normalize_newlines);
			continue;
		}
		enum match_kind kind = !strcmp(k->str, "exact") ? MATCH_EXACT :
			!strcmp(k->str, "prefix") ? MATCH_PREFIX :
			!strcmp(k->str, "contains") ? MATCH_CONTAINS :
			!strcmp(k->str, "regex") ? MATCH_REGEX : MATCH_ANY;
		if (kind == MATCH_ANY)
			continue;
		if (val) {
			diag_error(c->d, c->file, k->line, k->col,
				   "%s takes one of exact, prefix, contains or regex, not both '%s' and '%s'",
				   what, match_kind_name(m->kind), k->str);
			ok = false;
			continue;
		}
		/* output text is bytes (a NUL is one); a regex is a C string */
		const char *s;
		size_t sl;
		if (kind == MATCH_REGEX ? !ynode_str(v, c->file, k->str, c->d, &s)
					: !ynode_bytes(v, c->file, k->str, c->d, &s, &sl)) {
			ok = false;
			continue;
		}
		val = v;
		m->kind = kind;
		m->text = xmalloc(v->len + 1);
		memcpy(m->text, v->str, v->len);
		m->text[v->len] = 0;
		m->len = v->len;
	}
	if (!val && ok) {
		diag_error(c->d, c->file, n->line, n->col,
			   "%s needs one of exact, prefix, contains or regex", what);
		return false;
	}
	if (val && m->kind == MATCH_REGEX) {
		char *msg = NULL;
		size_t off = 0;
		if (!match_compile(m, &msg, &off)) {
			/* point at the offending character when the scalar is on one line */
			unsigned col = val->col + (val->plain ? 0 : 1) + (unsigned)off;
			if (memchr(val->str, '\n', val->len))
				col = val->col;
			diag_error(c->d, c->file, val->line, col,
				   "invalid regex: %s at offset %zu", msg, off);
			free(msg);
			ok = false;
		}
	}
	return ok;
}

static bool parse_exit(struct ctx *c, const struct ynode *n, struct expect *e)
{
	long v;
	free(e->exit);
	e->exit = NULL;
	e->nexit = 0;
	if (n->kind == YN_SEQ) {
		if (n->n == 0) {
			diag_error(c->d, c->file, n->line, n->col, "exit: the list of allowed codes is empty");
			return false;
		}
		e->exit = xcalloc(n->n, sizeof(int));
		bool ok = true;
		for (size_t i = 0; i < n->n; i++) {
			if (ynode_int(n->kids[i], c->file, "exit code", 0, 255, c->d, &v))
				e->exit[e->nexit++] = (int)v;
			else
				ok = false;
		}
		return ok;
	}
	if (!ynode_int(n, c->file, "exit", 0, 255, c->d, &v))
		return false;
	e->exit = xcalloc(1, sizeof(int));
	e->exit[0] = (int)v;
	e->nexit = 1;
	return true;
}

static bool parse_files(struct ctx *c, const struct ynode *n, struct expect *e)
{
	if (!ynode_expect(n, YN_SEQ, c->file, "expect.files", c->d))
		return false;
	bool ok = true;
	for (size_t i = 0; i < e->nfiles; i++) {
		free(e->files[i].path);
		match_release(&e->files[i].content);
	}
	free(e->files);
	e->files = xcalloc(n->n ? n->n : 1, sizeof *e->files);
	e->nfiles = 0;
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *f = n->kids[i];
		if (!ynode_expect(f, YN_MAP, c->file, "a file expectation", c->d)) {
			ok = false;
			continue;
		}
		struct file_check *fc = &e->files[e->nfiles++];
		fc->exists = -1;
		fc->line = f->line;
		fc->col = f->col;
		ok &= ynode_check_keys(f, c->file, "a file expectation", file_keys, N_ELEMS(file_keys), c->d);
		ok &= ynode_require(f, "path", c->file, "a file expectation", c->d);
		const struct ynode *v;
		const char *s;
		if ((v = ynode_get(f, "path")) && ynode_str(v, c->file, "path", c->d, &s)) {
			fc->path = xstrdup(s);
			fc->line = v->line;
			fc->col = v->col;
		}
		bool b;
		if ((v = ynode_get(f, "exists"))) {
			if (ynode_bool(v, c->file, "exists", c->d, &b))
				fc->exists = b;
			else
				ok = false;
		}
		const struct ynode *cn = ynode_get(f, "content"), *rn = ynode_get(f, "regex");
		if (cn && rn) {
			diag_error(c->d, c->file, rn->line, rn->col, "give either content or regex, not both");
			ok = false;
		} else if (cn) {
			ok &= parse_matcher(c, cn, "content", &fc->content);
		} else if (rn) {
			if (ynode_str(rn, c->file, "regex", c->d, &s)) {
				fc->content.kind = MATCH_REGEX;
				fc->content.text = xstrdup(s);
				fc->content.len = strlen(s);
				char *msg = NULL;
				size_t off = 0;
				if (!match_compile(&fc->content, &msg, &off)) {
					diag_error(c->d, c->file, rn->line, rn->col + (rn->plain ? 0 : 1) + (unsigned)off,
						   "invalid regex: %s at offset %zu", msg, off);
					free(msg);
					ok = false;
				}
			} else {
				ok = false;
			}
		}
		if (fc->exists == 0 && (cn || rn)) {
			diag_error(c->d, c->file, f->line, f->col, "a file that must not exist cannot have content");
			ok = false;
		}
	}
	return ok;
}

static bool parse_expect(struct ctx *c, const struct ynode *n, struct expect *e)
{
	if (!ynode_expect(n, YN_MAP, c->file, "expect", c->d))
		return false;
	bool ok = ynode_check_keys(n, c->file, "expect", expect_keys, N_ELEMS(expect_keys), c->d);
	const struct ynode *v;
	if ((v = ynode_get(n, "exit")))
		ok &= parse_exit(c, v, e);
	if ((v = ynode_get(n, "stdout")))
		ok &= parse_matcher(c, v, "stdout", &e->out);
	if ((v = ynode_get(n, "stderr")))
		ok &= parse_matcher(c, v, "stderr", &e->err);
	if ((v = ynode_get(n, "trap")))
		ok &= ynode_bool(v, c->file, "trap", c->d, &e->trap);
	if ((v = ynode_get(n, "refused")))
		ok &= ynode_bool(v, c->file, "refused", c->d, &e->refused);
	if ((v = ynode_get(n, "files")))
		ok &= parse_files(c, v, e);
	return ok;
}

bool load_env_map(const struct ynode *n, const char *file, struct diag *d, struct test *t)
{
	if (!ynode_expect(n, YN_MAP, file, "env", d))
		return false;
	bool ok = true;
	/* the test's variables so far (defaults, a spec's env) -> index: a key here replaces one */
	struct strset have = STRSET_INIT;
	for (size_t j = 0; j < t->nenv; j++)
		strset_add(&have, t->env[j].key, strlen(t->env[j].key), j, NULL);
	t->env = xrealloc(t->env, (t->nenv + YMAP_PAIRS(n) + 1) * sizeof *t->env);
	for (size_t i = 0; i < YMAP_PAIRS(n); i++) {
		const struct ynode *k = YMAP_KEY(n, i), *v = YMAP_VAL(n, i);
		const char *val;
		if (!ynode_env_key(k, file, d)) {
			ok = false;
			continue;
		}
		if (!ynode_str(v, file, "an environment value", d, &val)) {
			ok = false;
			continue;
		}
		size_t j;
		if (!strset_get(&have, k->str, k->len, &j)) {
			j = t->nenv++;
			t->env[j].key = xstrdup(k->str);
			t->env[j].value = NULL;
			strset_add(&have, t->env[j].key, k->len, j, NULL);
		}
		free(t->env[j].value);
		t->env[j].value = xstrdup(val);
	}
	strset_release(&have);
	return ok;
}

static bool parse_stdin(struct ctx *c, const struct ynode *n, struct test *t)
{
	free(t->stdin_data);
	t->stdin_data = NULL;
	t->stdin_len = 0;
	if (n->kind == YN_SCALAR) {
		t->stdin_data = xmalloc(n->len + 1);
		memcpy(t->stdin_data, n->str, n->len + 1);
		t->stdin_len = n->len;
		return true;
	}
	if (!ynode_expect(n, YN_MAP, c->file, "stdin (a string or {file: path})", c->d))
		return false;
	bool ok = ynode_check_keys(n, c->file, "stdin", stdin_keys, N_ELEMS(stdin_keys), c->d);
	ok &= ynode_require(n, "file", c->file, "stdin", c->d);
	const struct ynode *f = ynode_get(n, "file");
	const char *s;
	if (f && ynode_str(f, c->file, "stdin.file", c->d, &s)) {
		char *p = NULL;
		int r = suite_path(c, f, s, "stdin file", &p);
		if (r == 0 && !fs_is_file(p)) {
			diag_error(c->d, c->file, f->line, f->col, "stdin file '%s' is not a regular file", p);
			ok = false;
		} else if (r == 0 && !(t->stdin_data = fs_read_file(p, &t->stdin_len))) {
			r = -2;
		}
		if (r == -2)
			diag_error(c->d, c->file, f->line, f->col, "cannot read stdin file '%s': %s", p, strerror(errno));
		ok &= r == 0;
		free(p);
	}
	return ok;
}

static bool parse_dirs(struct ctx *c, const struct ynode *n, struct test *t)
{
	if (!ynode_expect(n, YN_SEQ, c->file, "dirs", c->d))
		return false;
	bool ok = true;
	for (size_t i = 0; i < t->ndirs; i++) {
		free(t->dirs[i].host);
		free(t->dirs[i].guest);
	}
	free(t->dirs);
	t->dirs = xcalloc(n->n ? n->n : 1, sizeof *t->dirs);
	t->ndirs = 0;
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *m = n->kids[i], *v;
		const char *s;
		if (!ynode_expect(m, YN_MAP, c->file, "a preopened directory ({host, guest})", c->d)) {
			ok = false;
			continue;
		}
		ok &= ynode_check_keys(m, c->file, "a preopened directory", dir_keys, N_ELEMS(dir_keys), c->d);
		ok &= ynode_require(m, "guest", c->file, "a preopened directory", c->d);
		struct test_dir *td = &t->dirs[t->ndirs++];
		if ((v = ynode_get(m, "guest")) && ynode_str(v, c->file, "guest", c->d, &s)) {
			const char *bad = guestpath_invalid(s);
			bool ctl = false;
			for (const char *q = s; *q; q++)
				ctl |= (unsigned char)*q < 0x20 || *q == 0x7f;
			if (bad) {
				/* a control character is named, not printed */
				diag_error(c->d, c->file, v->line, v->col,
					   "guest path%s%s%s %s (a guest path is '/', '.', or names without '.' and "
					   "'..' components)", ctl ? "" : " '", ctl ? "" : s, ctl ? "" : "'", bad);
				ok = false;
			}
			for (size_t j = 0; j + 1 < t->ndirs; j++)
				if (t->dirs[j].guest && !strcmp(t->dirs[j].guest, s)) {
					diag_error(c->d, c->file, v->line, v->col, "guest path '%s' is preopened twice", s);
					ok = false;
				}
			td->guest = xstrdup(s);
		}
		if ((v = ynode_get(m, "host")) && !ynode_is_null(v) && ynode_str(v, c->file, "host", c->d, &s)) {
			char *p = NULL, *why = NULL;
			int r = suite_path(c, v, s, "fixture directory", &p);
			if (r == -2 || (r == 0 && !fs_is_dir(p))) {
				diag_error(c->d, c->file, v->line, v->col, "fixture directory '%s' does not exist", p);
				ok = false;
			} else if (r == 0 && fixture_check(p, &why) < 0) {
				diag_error(c->d, c->file, v->line, v->col, "fixture tree '%s' refused: %s", s, why);
				ok = false;
			}
			ok &= r == 0;
			free(why);
			td->host = r == 0 ? p : NULL;
			if (r != 0)
				free(p);
		}
	}
	return ok;
}

/* module: {sha256: HEX, missing: REASON}: the file <cache>/sha256/HEX, re-hashed before use,
 * placed there by a script the suite's project owns (e.g. scripts/fetch-apps.sh). Never
 * downloaded: when it is not there (or there is no usable cache) the test is a skip whose
 * reason is REASON and why. The cache lies outside the suite's tree, but a file there is
 * named by its content, so no host path is named by the suite. */
static bool module_from_cache(struct ctx *c, const struct ynode *v, struct test *t)
{
	const char *sha, *missing;
	if (!ynode_require(v, "sha256", c->file, "a module taken from the cache", c->d) ||
	    !ynode_require(v, "missing", c->file, "a module taken from the cache (say how to get it)", c->d) ||
	    !ynode_str(ynode_get(v, "sha256"), c->file, "sha256", c->d, &sha) ||
	    !ynode_str(ynode_get(v, "missing"), c->file, "missing", c->d, &missing))
		return false;
	const struct ynode *sn = ynode_get(v, "sha256"), *mn = ynode_get(v, "missing");
	if (!net_sha256_valid(sha)) {
		diag_error(c->d, c->file, sn->line, sn->col, "sha256 must be 64 lower-case hex digits");
		return false;
	}
	if (!*missing) {
		diag_error(c->d, c->file, mn->line, mn->col, "missing needs a reason (how to get the module)");
		return false;
	}
	free(t->module);
	t->module = NULL;
	char *path = NULL, *why = NULL;
	int r = -1;
	if (c->net && c->net->opts)
		r = net_cached(sha, c->net->opts, &path, &why);
	else
		why = xstrdup("no cache here");
	if (r == 0) {
		t->module = path;
		return true;
	}
	/* no module: the test is never run, and results name none */
	free(t->skip);
	t->skip = xasprintf("module not downloaded (%s): %s", why, missing);
	free(why);
	return true;
}

/* Apply one key of a test (or of the defaults) to t. */
static bool apply_key(struct ctx *c, const struct ynode *k, const struct ynode *v, struct test *t)
{
	const char *key = k->str, *s;
	double num;
	bool of_ops;	/* the steps and what a runtime must support (ops.h) */
	bool ok_ops = ops_yaml_key(key, v, c->file, c->d, t, &of_ops);
	if (of_ops)
		return ok_ops;
	if (!strcmp(key, "description")) {
		if (!ynode_str(v, c->file, key, c->d, &s))
			return false;
		free(t->description);
		t->description = xstrdup(s);
	} else if (!strcmp(key, "module") && v->kind == YN_MAP) {
		/* {url, sha256}: fetched into the cache and verified before use.
		 * {sha256, missing}: taken from the cache only (a fetch script put it there);
		 * not there, the test is a skip saying `missing`. */
		if (!ynode_check_keys(v, c->file, "module", url_keys, N_ELEMS(url_keys), c->d))
			return false;
		if (!ynode_get(v, "url"))
			return module_from_cache(c, v, t);
		const char *url, *sha;
		if (!ynode_require(v, "sha256", c->file, "a module given by URL", c->d) ||
		    !ynode_str(ynode_get(v, "url"), c->file, "url", c->d, &url) ||
		    !ynode_str(ynode_get(v, "sha256"), c->file, "sha256", c->d, &sha))
			return false;
		const struct ynode *un = ynode_get(v, "url"), *sn = ynode_get(v, "sha256");
		if (ynode_get(v, "missing")) {
			const struct ynode *mn = ynode_get(v, "missing");
			diag_error(c->d, c->file, mn->line, mn->col,
				   "'missing' is for a module taken from the cache only (no url): a module given by URL is downloaded");
			return false;
		}
		if (!net_is_url(url)) {
			diag_error(c->d, c->file, un->line, un->col, "'%s' is not an http(s) URL", url);
			return false;
		}
		if (!net_sha256_valid(sha)) {
			diag_error(c->d, c->file, sn->line, sn->col, "sha256 must be 64 lower-case hex digits");
			return false;
		}
		if (!c->net || !c->net->opts) {
			diag_error(c->d, c->file, un->line, un->col, "modules given by URL cannot be fetched here");
			return false;
		}
		char *path = NULL, *why = NULL;
		if (net_fetch(url, sha, c->net->opts, &path, &why) < 0) {
			diag_error(c->d, c->file, un->line, un->col, "cannot fetch the module: %s", why);
			c->net->failures++;
			free(why);
			return false;
		}
		free(t->module);
		t->module = path;
	} else if (!strcmp(key, "module")) {
		if (!ynode_str(v, c->file, key, c->d, &s))
			return false;
		free(t->module);
		t->module = NULL;
		char *p = NULL;
		int r = suite_path(c, v, s, "module", &p);
		if (r == -2 || (r == 0 && !fs_is_file(p))) {
			diag_error(c->d, c->file, v->line, v->col, "module '%s' not found (%s)", s, p);
			r = -1;
		}
		if (r != 0) {
			free(p);
			return false;
		}
		t->module = p;
	} else if (!strcmp(key, "args")) {
		strvec_release(&t->args);
		return ynode_str_list(v, c->file, "args", c->d, &t->args);
	} else if (!strcmp(key, "env")) {
		return load_env_map(v, c->file, c->d, t);
	} else if (!strcmp(key, "stdin")) {
		return parse_stdin(c, v, t);
	} else if (!strcmp(key, "dirs")) {
		return parse_dirs(c, v, t);
	} else if (!strcmp(key, "timeout")) {
		if (!ynode_num(v, c->file, "timeout (seconds)", 0.001, 86400, c->d, &num))
			return false;
		t->timeout = num;
	} else if (!strcmp(key, "tags")) {
		strvec_release(&t->tags);
		return ynode_str_list(v, c->file, "tags", c->d, &t->tags);
	} else if (!strcmp(key, "requires")) {
		strvec_release(&t->requires);
		return ynode_str_list(v, c->file, "requires", c->d, &t->requires);
	} else if (!strcmp(key, "links")) {
		strvec_release(&t->links);
		return ynode_str_list(v, c->file, "links", c->d, &t->links);
	} else if (!strcmp(key, "skip")) {
		if (!ynode_str(v, c->file, "skip (a reason)", c->d, &s))
			return false;
		if (!*s) {
			diag_error(c->d, c->file, v->line, v->col, "skip needs a reason");
			return false;
		}
		free(t->skip);
		t->skip = xstrdup(s);
	} else if (!strcmp(key, "spec")) {
		if (!ynode_str(v, c->file, "spec", c->d, &s))
			return false;
		if (strcmp(s, "deterministic") && strcmp(s, "nondeterministic")) {
			diag_error(c->d, c->file, v->line, v->col,
				   "spec must be 'deterministic' or 'nondeterministic', not '%s'", s);
			return false;
		}
		free(t->spec);
		t->spec = xstrdup(s);
	} else if (!strcmp(key, "expect")) {
		return parse_expect(c, v, &t->expect);
	} else if (!strcmp(key, "feature")) {
		if (!ynode_str(v, c->file, "feature (a key of the feature table)", c->d, &s))
			return false;
		bool ident = *s >= 'a' && *s <= 'z';
		for (const char *q = s; *q && ident; q++)
			ident = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9');
		if (!ident) {
			diag_error(c->d, c->file, v->line, v->col,
				   "feature '%s' is not a key of the feature table (features.json: lowerCamelCase "
				   "letters and digits, e.g. simd, relaxedSimd, exceptionsFinal)", s);
			return false;
		}
		free(t->feature);
		t->feature = xstrdup(s);
	}
	return true;
}

/* The features of the claims table the module reader (wasm.h) can see in a module. */
static const struct {
	const char *key;
	enum wasm_feature wf;
} feature_reader[] = {
	{ "mutableGlobals", WF_MUTABLE_GLOBALS }, { "signExtensions", WF_SIGN_EXT },
	{ "saturatedFloatToInt", WF_SAT_FLOAT_TO_INT }, { "multiValue", WF_MULTI_VALUE },
	{ "bulkMemory", WF_BULK_MEMORY }, { "referenceTypes", WF_REFERENCE_TYPES },
	{ "simd", WF_SIMD }, { "relaxedSimd", WF_RELAXED_SIMD }, { "threads", WF_THREADS },
	{ "tailCall", WF_TAIL_CALL }, { "extendedConst", WF_EXTENDED_CONST },
	{ "exceptions", WF_EXCEPTIONS }, { "exceptionsFinal", WF_EXCEPTIONS },
	{ "typedFunctionReferences", WF_FUNCTION_REFERENCES }, { "gc", WF_GC },
	{ "memory64", WF_MEMORY64 }, { "multiMemory", WF_MULTI_MEMORY },
};

/* A test that measures a feature must use it: where the reader can see the feature, a
 * module that does not use it (a probe whose feature use was edited out) is an error at
 * the feature key. A module the reader cannot read (a newer proposal's opcodes) is left to
 * the runtimes. */
static void check_feature_use(struct ctx *c, const struct ynode *fn, const struct test *t)
{
	if (!t->feature || !t->module)
		return;
	for (size_t i = 0; i < N_ELEMS(feature_reader); i++) {
		if (strcmp(feature_reader[i].key, t->feature))
			continue;
		size_t len = 0;
		unsigned char *data = (unsigned char *)fs_read_file(t->module, &len);
		struct wasm_module m;
		char *err = NULL;
		if (data && wasm_is_wasm(data, len) && wasm_parse(&m, data, len, &err) == 0 &&
		    !wasm_uses(&m, feature_reader[i].wf))
			diag_error(c->d, c->file, fn->line, fn->col,
				   "test '%s' measures %s, but its module %s does not use it (no %s found by the "
				   "module reader: wasmatrix inspect): a probe must use the feature it names",
				   t->name ? t->name : "?", t->feature, path_basename(t->module),
				   wasm_feature_title(feature_reader[i].wf));
		if (data && wasm_is_wasm(data, len))
			wasm_module_release(&m);
		free(err);
		free(data);
		return;
	}
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("_.+-", *s)))
			return false;
	return true;
}

static bool dots(const char *s)
{
	return !strcmp(s, ".") || !strcmp(s, "..");
}

/* Checks that file expectations point into a preopen: below the preopen that takes the
 * path (by whole components, longest first, as the judge does), never climbing above it
 * with '..'. Where links lead is for the judge to see, beneath the copy, after the run. */
static bool check_files(struct ctx *c, struct test *t)
{
	bool ok = true;
	for (size_t i = 0; i < t->expect.nfiles; i++) {
		struct file_check *fc = &t->expect.files[i];
		if (!fc->path)
			continue;
		int best = -1;
		const char *rest = NULL;
		for (size_t j = 0; j < t->ndirs; j++) {
			const char *r;
			int sc = t->dirs[j].guest ? guestpath_match(t->dirs[j].guest, fc->path, &r) : -1;
			if (sc > best) {
				best = sc;
				rest = r;
			}
		}
		if (best < 0 || !*rest || !guestpath_rel_stays(rest)) {
			diag_error(c->d, c->file, fc->line, fc->col,
				   "file '%s' is not inside one of the test's preopened directories", fc->path);
			ok = false;
		}
	}
	return ok;
}

/* A test's keys into t: the defaults first, then its own; env and expect merge key-wise. */
static void apply_test_keys(struct ctx *c, const struct ynode *defs, const size_t *dpair, size_t ndpair,
			    const struct ynode *tn, struct test *t)
{
	for (size_t dk = 0; dk < ndpair; dk++) {
		size_t k = dpair[dk];
		const struct ynode *key = YMAP_KEY(defs, k);
		if (ynode_get(tn, key->str) && strcmp(key->str, "env") && strcmp(key->str, "expect"))
			continue;
		if (!strcmp(key->str, "module") && ynode_get(tn, "module"))
			continue;
		apply_key(c, key, YMAP_VAL(defs, k), t);
	}
	for (size_t k = 0; k < YMAP_PAIRS(tn); k++)
		if (strcmp(YMAP_KEY(tn, k)->str, "name"))
			apply_key(c, YMAP_KEY(tn, k), YMAP_VAL(tn, k), t);
	ops_yaml_finish(t, c->file, c->d);
	if (!t->expect.nexit) {
		free(t->expect.exit);	/* a list whose codes were all refused */
		t->expect.exit = xcalloc(1, sizeof(int));
		t->expect.nexit = 1;
	}
}

/* The twin of a test with a feature (docs/suite-format.md "feature"): "<name>+flag", built
 * from the same keys (which loaded without error for the test itself), run with the
 * adapter's flag for the feature, or a skip where the adapter declares none. */
static void add_flag_variant(struct ctx *c, struct suite *s, struct strset *names, const struct ynode *defs,
			     const size_t *dpair, size_t ndpair, const struct ynode *tn, const struct test *t)
{
	struct test *v = &s->tests[s->ntests++];
	v->file = xstrdup(t->file);
	v->line = t->line;
	v->col = t->col;
	v->expect.out.kind = v->expect.err.kind = MATCH_ANY;
	v->name = xasprintf("%s+flag", t->name);
	v->id = xasprintf("%s/%s", s->name, v->name);
	v->flag_variant = true;
	struct diag quiet = DIAG_INIT;	/* the keys were checked once, for t */
	struct ctx vc = *c;
	vc.d = &quiet;
	apply_test_keys(&vc, defs, dpair, ndpair, tn, v);
	diag_release(&quiet);
	size_t j;
	const struct ynode *nn = ynode_get(tn, "name");
	if (!strset_add(names, v->name, strlen(v->name), s->ntests - 1, &j))
		diag_error(c->d, c->file, nn->line, nn->col,
			   "the flag variant of '%s' would be named '%s', which the test at line %u has: "
			   "rename one", t->name, v->name, s->tests[j].line);
}

int load_yaml_suite(struct suite *s, const char *file, struct load_net *net, struct diag *d)
{
	struct ydoc doc = { 0 };
	memset(s, 0, sizeof *s);
	s->path = xstrdup(file);
	s->kind = xstrdup("yaml");
	size_t errs = d->errors;
	if (ydoc_load(&doc, file, d) < 0)
		return -1;
	struct ctx c = { file, path_dirname(file), d, net, NULL };
	char *abs = realpath(c.base, NULL);
	if (abs) {
		free(c.base);
		c.base = abs;
	}
	c.tree = suitetree_root(c.base);
	const struct ynode *root = doc.root, *v;
	const char *str;
	if (!root) {
		diag_error(d, file, 1, 1, "empty suite file (expected a map with 'tests')");
		goto out;
	}
	if (!ynode_expect(root, YN_MAP, file, "a suite", d))
		goto out;
	ynode_check_keys(root, file, "a suite", suite_keys, N_ELEMS(suite_keys), d);
	if ((v = ynode_get(root, "name")) && ynode_str(v, file, "name", d, &str)) {
		if (!valid_name(str) || dots(str))
			diag_error(d, file, v->line, v->col, "suite name '%s' must match [A-Za-z0-9_.+-]+ and not be "
				   "'.' or '..'", str);
		s->name = xstrdup(str);
	}
	if (!s->name) {
		/* default: the directory holding suite.yaml, or the file's stem */
		const char *bn = path_basename(file);
		if (!strcmp(bn, "suite.yaml") || !strcmp(bn, "suite.yml")) {
			s->name = xstrdup(path_basename(c.base));
		} else {
			s->name = xstrdup(bn);
			char *dot = strrchr(s->name, '.');
			if (dot)
				*dot = 0;
		}
		bool usable = *s->name && strcmp(s->name, ".") && strcmp(s->name, "..") && !strchr(s->name, '/');
		for (const char *q = s->name; *q; q++)
			usable &= (unsigned char)*q >= 0x20 && *q != 0x7f;
		if (!usable)
			diag_error(d, file, root->line, root->col, "the file name gives no usable suite name (it "
				   "is empty, '.', '..' or has control characters): give the suite a 'name'");
	}
	if ((v = ynode_get(root, "description")) && ynode_str(v, file, "description", d, &str))
		s->description = xstrdup(str);
	const struct ynode *defs = ynode_get(root, "defaults");
	if (defs) {
		if (!ynode_expect(defs, YN_MAP, file, "defaults", d)) {
			defs = NULL;
		} else {
			ynode_check_keys(defs, file, "defaults", test_keys + 1, N_ELEMS(test_keys) - 1, d);
		}
	}
	const struct ynode *tests = ynode_get(root, "tests");
	if (!tests) {
		diag_error(d, file, root->line, root->col, "a suite needs a 'tests' list");
		goto out;
	}
	if (!ynode_expect(tests, YN_SEQ, file, "tests", d))
		goto out;
	/* room for each test's flag variant (feature) */
	s->tests = xcalloc(2 * tests->n + 1, sizeof *s->tests);
	struct strset names = STRSET_INIT;	/* test name -> index in s->tests */
	/* the defaults' known keys (at most one each), found once: applying every default
	 * key to every test made unknown ones cost tests * keys */
	size_t dpair[N_ELEMS(test_keys)], ndpair = 0;
	for (size_t k = 0; defs && k < YMAP_PAIRS(defs) && ndpair < N_ELEMS(dpair); k++)
		for (size_t j = 1; j < N_ELEMS(test_keys); j++)
			if (!strcmp(YMAP_KEY(defs, k)->str, test_keys[j]))
				dpair[ndpair++] = k;
	for (size_t i = 0; i < tests->n; i++) {
		const struct ynode *tn = tests->kids[i];
		if (!ynode_expect(tn, YN_MAP, file, "a test", d))
			continue;
		struct test *t = &s->tests[s->ntests++];
		t->file = xstrdup(file);
		t->line = tn->line;
		t->col = tn->col;
		t->expect.out.kind = t->expect.err.kind = MATCH_ANY;
		ynode_check_keys(tn, file, "a test", test_keys, N_ELEMS(test_keys), d);
		if (ynode_require(tn, "name", file, "a test", d) &&
		    ynode_str((v = ynode_get(tn, "name")), file, "name", d, &str)) {
			if (!valid_name(str))
				diag_error(d, file, v->line, v->col, "test name '%s' must match [A-Za-z0-9_.+-]+", str);
			t->name = xstrdup(str);
			size_t j;
			if (!strset_add(&names, t->name, strlen(t->name), s->ntests - 1, &j))
				diag_error(d, file, v->line, v->col, "duplicate test name '%s' (%s at line %u)", str,
					   s->tests[j].flag_variant ? "the flag variant of the test with a feature" :
					   "first", s->tests[j].line);
		}
		t->id = xasprintf("%s/%s", s->name, t->name ? t->name : "?");
		size_t errs_before = d->errors;
		apply_test_keys(&c, defs, dpair, ndpair, tn, t);
		if (!t->module && !ynode_get(tn, "module") && !(defs && ynode_get(defs, "module")))
			diag_error(d, file, tn->line, tn->col, "test '%s' needs a 'module'", t->name ? t->name : "?");
		/* ids become "<suite>/<name>": a name that is a path step is refused */
		if (t->name && dots(t->name) && (v = ynode_get(tn, "name")))
			diag_error(d, file, v->line, v->col, "test name '%s' is a path step, not a name", t->name);
		check_files(&c, t);
		const struct ynode *fn = ynode_get(tn, "feature");
		if (!fn && defs)
			fn = ynode_get(defs, "feature");
		if (fn)
			check_feature_use(&c, fn, t);
		if (t->feature && t->name && d->errors == errs_before)
			add_flag_variant(&c, s, &names, defs, dpair, ndpair, tn, t);
	}
	strset_release(&names);
	if (tests->n == 0)
		diag_add(d, DIAG_WARNING, file, tests->line, tests->col, 1, "suite has no tests");
out:
	free(c.base);
	free(c.tree);
	ydoc_release(&doc);
	return d->errors > errs ? -1 : 0;
}

int load_suite_net(struct suite *s, const char *path, struct load_net *net, struct diag *d)
{
	memset(s, 0, sizeof *s);
	if (fs_is_dir(path)) {
		char *man = path_join(path, "manifest.json");
		char *y = path_join(path, "suite.yaml");
		int rc;
		if (fs_is_file(man)) {
			rc = wts_load(s, path, d);
		} else if (fs_is_file(y)) {
			rc = load_yaml_suite(s, y, net, d);
		} else {
			diag_error(d, path, 0, 0, "not a suite: no suite.yaml or manifest.json in this directory");
			s->path = xstrdup(path);
			rc = -1;
		}
		free(man);
		free(y);
		return rc;
	}
	if (!fs_is_file(path)) {
		diag_error(d, path, 0, 0, "no such suite file or directory");
		s->path = xstrdup(path);
		return -1;
	}
	return load_yaml_suite(s, path, net, d);
}
