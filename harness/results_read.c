/* results_read.c - see results_read.h. Validation collects every problem (up to a cap). jansson
 * knows positions only for syntax errors, so for a structural error the file is parsed
 * once more with libyaml (JSON is YAML) and the offending node's line:col looked up. */
#define _GNU_SOURCE
#include "results_read.h"
#include "jsonload.h"
#include "agree.h"
#include "results_write.h"
#include "util.h"
#include "ynode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ERRORS 50

/* A JSON path: each step an object key, or an array index when key is NULL. Deeper
 * paths stop growing at VPATH_MAX steps (the message then names an ancestor). */
#define VPATH_MAX 8
struct vpath {
	const char *key[VPATH_MAX];
	size_t idx[VPATH_MAX];
	int n;
};

struct vctx {
	const char *file;
	bool on_disk;		/* positions can be looked up */
	bool no_nul;		/* the reader saw no NUL in any string: nothing for check_nul */
	struct ydoc y;
	int yloaded;		/* 0 not tried, 1 loaded, -1 failed */
	struct diag *d;
	size_t errors;
	long long version;	/* of the file, once checked */
};

static struct vpath vp_key(struct vpath p, const char *k)
{
	if (p.n == VPATH_MAX)
		return p;
	p.key[p.n] = k;
	p.idx[p.n++] = 0;
	return p;
}

static struct vpath vp_idx(struct vpath p, size_t i)
{
	if (p.n == VPATH_MAX)
		return p;
	p.key[p.n] = NULL;
	p.idx[p.n++] = i;
	return p;
}

static void vp_format(const struct vpath *p, struct buf *b)
{
	for (int i = 0; i < p->n; i++) {
		if (p->key[i])
			buf_addf(b, "%s%s", i ? "." : "", p->key[i]);
		else
			buf_addf(b, "[%zu]", p->idx[i]);
	}
}

/* Line and column of the deepest node on the path that exists in the file. */
static void vp_locate(struct vctx *v, const struct vpath *p, unsigned *line, unsigned *col)
{
	*line = *col = 0;
	if (!v->on_disk)
		return;
	if (!v->yloaded) {
		struct diag tmp = DIAG_INIT;
		v->yloaded = ydoc_load(&v->y, v->file, &tmp) == 0 ? 1 : -1;
		diag_release(&tmp);
	}
	if (v->yloaded < 0 || !v->y.root)
		return;
	const struct ynode *n = v->y.root;
	*line = n->line, *col = n->col;
	for (int i = 0; i < p->n && n; i++) {
		const struct ynode *next = NULL;
		if (p->key[i] && n->kind == YN_MAP)
			next = ynode_get(n, p->key[i]);
		else if (!p->key[i] && n->kind == YN_SEQ && p->idx[i] < n->n)
			next = n->kids[p->idx[i]];
		if (!next)
			break;
		n = next;
		*line = n->line, *col = n->col;
	}
}

static void verr(struct vctx *v, const struct vpath *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void verr(struct vctx *v, const struct vpath *p, const char *fmt, ...)
{
	v->errors++;
	if (v->errors > MAX_ERRORS)
		return;
	struct buf b = BUF_INIT;
	if (p->n) {
		vp_format(p, &b);
		buf_adds(&b, ": ");
	}
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(&b, m);
	free(m);
	unsigned line, col;
	vp_locate(v, p, &line, &col);
	if (v->errors == MAX_ERRORS)
		buf_adds(&b, " (further errors not shown)");
	diag_error(v->d, v->file, line, col, "%s", b.data);
	buf_release(&b);
}

enum { T_STR = 1, T_INT = 2, T_NUM = 4, T_BOOL = 8, T_NULL = 16, T_OBJ = 32, T_ARR = 64 };

static int type_bit(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return T_OBJ;
	case JSON_ARRAY: return T_ARR;
	case JSON_STRING: return T_STR;
	case JSON_INTEGER: return T_INT | T_NUM;
	case JSON_REAL: return T_NUM;
	case JSON_TRUE: case JSON_FALSE: return T_BOOL;
	default: return T_NULL;
	}
}

static const char *types_text(int want)
{
	static const char *const names[] = { "a string", "an integer", "a number", "a boolean", "null",
		"an object", "an array" };
	/* the combinations used below */
	if (want == (T_STR | T_NULL))
		return "a string or null";
	if (want == (T_INT | T_NULL))
		return "an integer or null";
	if (want == (T_NUM | T_NULL))
		return "a number or null";
	if (want == (T_OBJ | T_NULL))
		return "an object or null";
	if (want == (T_STR | T_ARR | T_NULL))
		return "a string, an array or null";
	for (int i = 0; i < 7; i++)
		if (want == 1 << i)
			return names[i];
	return "another type";
}

/* Checks obj.key has one of the types; required keys must be present. */
static json_t *field(struct vctx *v, const json_t *obj, struct vpath p, const char *key, int want,
		     bool required)
{
	json_t *j = json_object_get(obj, key);
	if (!j) {
		if (required)
			verr(v, &p, "missing key '%s'", key);
		return NULL;
	}
	if (!(type_bit(j) & want)) {
		struct vpath q = vp_key(p, key);
		verr(v, &q, "must be %s, not %s", types_text(want), jsonload_type_name(j));
		return NULL;
	}
	return j;
}

const char *results_str(const json_t *obj, const char *key)
{
	json_t *j = json_object_get(obj, key);
	return json_is_string(j) ? json_string_value(j) : NULL;
}

const char *results_str_or_empty(const json_t *obj, const char *key)
{
	const char *s = results_str(obj, key);
	return s ? s : "";
}

enum outcome results_outcome(const json_t *res)
{
	enum outcome o = OUT_ERROR;
	outcome_parse(results_str(res, "outcome"), &o);
	return o;
}

long long results_int(const json_t *obj, const char *key, long long dflt)
{
	json_t *j = json_object_get(obj, key);
	return json_is_integer(j) ? (long long)json_integer_value(j) : dflt;
}

double results_num(const json_t *obj, const char *key, double dflt)
{
	json_t *j = json_object_get(obj, key);
	return json_is_number(j) ? json_number_value(j) : dflt;
}

const char *results_rt_version(const struct results *rf, size_t r)
{
	const char *v = results_str(json_array_get(rf->runtimes, r), "version");
	return v ? v : "";
}

const char *results_rt_arch(const struct results *rf, size_t r)
{
	const json_t *rt = json_array_get(rf->runtimes, r);
	const char *a = results_str(rt, "arch"), *n = results_str_or_empty(rt, "name"), *sl = strchr(n, '/');
	if (a)
		return a;
	if (sl)
		return sl + 1;
	a = results_str(json_object_get(rf->doc, "host"), "arch");
	return a ? a : "";
}

const char *results_test_wasi(const struct results *rf, size_t t)
{
	const char *v = results_str(json_array_get(rf->tests, t), "wasi");
	return v ? v : "wasm32-wasip1";
}

bool results_rt_available(const struct results *rf, size_t r)
{
	return json_is_true(json_object_get(json_array_get(rf->runtimes, r), "available"));
}

bool results_digest_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

/* A name → index map on a jansson object (its hash table), values are integers. */
static size_t map_get(json_t *map, const char *k)
{
	json_t *j = k ? json_object_get(map, k) : NULL;
	return j ? (size_t)json_integer_value(j) : (size_t)-1;
}

static bool vp_is(const struct vpath *p, int i, const char *key)
{
	return i < p->n && p->key[i] && !strcmp(p->key[i], key);
}

/* Strings that are byte data, where NUL is an ordinary byte: captured output
 * (results[i].stdout/stderr) and expected output (tests[i].expect.stdout/stderr.text,
 * tests[i].expect.files[k].content.text). */
static bool nul_allowed(const struct vpath *p)
{
	if (p->n == 3 && vp_is(p, 0, "results") && (vp_is(p, 2, "stdout") || vp_is(p, 2, "stderr")))
		return true;
	if (!vp_is(p, 0, "tests") || !vp_is(p, 2, "expect"))
		return false;
	if (p->n == 5 && (vp_is(p, 3, "stdout") || vp_is(p, 3, "stderr")) && vp_is(p, 4, "text"))
		return true;
	return p->n == 7 && vp_is(p, 3, "files") && vp_is(p, 5, "content") && vp_is(p, 6, "text");
}

/* Every other string is read as a C string and would silently end at a NUL. */
static void check_nul(struct vctx *v, const json_t *j, struct vpath p)
{
	if (json_is_string(j)) {
		if (memchr(json_string_value(j), '\0', json_string_length(j)) && !nul_allowed(&p))
			verr(v, &p, "contains a NUL character (\\u0000) after '%s'", json_string_value(j));
		return;
	}
	if (v->errors > MAX_ERRORS)
		return;
	size_t i;
	const char *k;
	json_t *x;
	if (json_is_array(j)) {
		json_array_foreach(j, i, x)
			check_nul(v, x, vp_idx(p, i));
	} else if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, x)
			check_nul(v, x, vp_key(p, k));
	}
}

/* The members of a result, in the order the writer puts them (results_write.c), with their
 * types; 0 means any type (counted, not checked). */
static const struct rkey {
	const char *key;
	int want;
	bool required;
} rkeys[] = {
	{ "test", T_STR, true }, { "runtime", T_STR, true }, { "outcome", T_STR, true },
	{ "reason", T_STR | T_NULL, false }, { "rule", T_STR | T_NULL, false }, { "diff", T_STR | T_NULL, false },
	{ "command", T_STR | T_ARR | T_NULL, false }, { "ran", T_BOOL, true }, { "exit_code", T_INT | T_NULL, false },
	{ "signal", T_INT | T_NULL, false }, { "trapped", T_BOOL, false }, { "stdout", T_STR | T_NULL, false },
	{ "stderr", T_STR | T_NULL, false }, { "stdout_bytes", 0, false }, { "stderr_bytes", 0, false },
	{ "stdout_truncated", 0, false }, { "stderr_truncated", 0, false },
	{ "files_digest", T_STR | T_NULL, false }, { "duration", T_NUM, true }, { "known", T_OBJ | T_NULL, false },
	{ "kept", T_STR | T_NULL, false }, { "strays", T_INT, false },
	{ "compile_cache", T_STR, false }, { "cold_timeout", T_NUM | T_NULL, false },
	{ "launch", T_STR, false }, { "launch_note", T_STR | T_NULL, false },
};
#define RKEYS_REQUIRED 5	/* test, runtime, outcome, ran, duration */

/* The common case in one pass over the members, without a lookup per key: true when
 * every member checked has its type and every required one is there (test, runtime and
 * outcome returned). Anything else, including a "known" object, goes through
 * result_fields, which says what is wrong in the order it always has. */
static bool result_fields_ok(const struct vctx *v, json_t *o, json_t **test, json_t **rt, json_t **oc)
{
	const char *k;
	json_t *x;
	size_t at = 0, required = 0;
	json_t *got[3] = { NULL, NULL, NULL };
	json_object_foreach(o, k, x) {
		/* keys come in the writer's order: look from the last match on */
		size_t j = at, n = 0;
		while (n < N_ELEMS(rkeys) && strcmp(rkeys[j].key, k))
			j = (j + 1) % N_ELEMS(rkeys), n++;
		if (n == N_ELEMS(rkeys))
			continue;	/* a member nobody reads */
		at = (j + 1) % N_ELEMS(rkeys);
		if (rkeys[j].want && !(type_bit(x) & rkeys[j].want))
			return false;
		if (rkeys[j].want & T_OBJ && json_is_object(x))
			return false;	/* "known" has members of its own */
		if (json_is_array(x) && v->version < 2)
			return false;	/* a command in parts is version 2 */
		required += rkeys[j].required;
		if (j < 3)
			got[j] = x;
	}
	if (required != RKEYS_REQUIRED)
		return false;
	*test = got[0], *rt = got[1], *oc = got[2];
	return true;
}

/* compile_cache, cold_timeout, launch, launch_note (docs/results-format.md): their
 * values, on both paths. */
static void cache_fields(struct vctx *v, json_t *o, struct vpath p)
{
	json_t *cc = field(v, o, p, "compile_cache", T_STR, false);
	enum compile_cache ccv;
	if (json_is_string(cc) && !compile_cache_parse(json_string_value(cc), &ccv)) {
		struct vpath q = vp_key(p, "compile_cache");
		verr(v, &q, "compile_cache is none, off, cold or warm, not '%s'", json_string_value(cc));
	}
	json_t *ct = field(v, o, p, "cold_timeout", T_NUM | T_NULL, false);
	if (json_is_number(ct) && !(json_number_value(ct) > 0)) {
		struct vpath q = vp_key(p, "cold_timeout");
		verr(v, &q, "cold_timeout is the seconds the cold run lasted (> 0) or null");
	}
	if (json_is_number(ct) && !(json_is_string(cc) && !strcmp(json_string_value(cc), "warm"))) {
		struct vpath q = vp_key(p, "cold_timeout");
		verr(v, &q, "cold_timeout belongs to a warm retry (compile_cache \"warm\")");
	}
	json_t *ln = field(v, o, p, "launch", T_STR, false);
	if (json_is_string(ln) && strcmp(json_string_value(ln), "warm") && strcmp(json_string_value(ln), "fresh")) {
		struct vpath q = vp_key(p, "launch");
		verr(v, &q, "launch is warm or fresh, not '%s'", json_string_value(ln));
	}
	field(v, o, p, "launch_note", T_STR | T_NULL, false);
}

static void result_fields(struct vctx *v, json_t *o, struct vpath p, json_t **testp, json_t **rtp, json_t **ocp)
{
	*testp = field(v, o, p, "test", T_STR, true);
	*rtp = field(v, o, p, "runtime", T_STR, true);
	*ocp = field(v, o, p, "outcome", T_STR, true);
	field(v, o, p, "ran", T_BOOL, true);
	field(v, o, p, "duration", T_NUM, true);
	field(v, o, p, "exit_code", T_INT | T_NULL, false);
	field(v, o, p, "signal", T_INT | T_NULL, false);
	field(v, o, p, "trapped", T_BOOL, false);
	field(v, o, p, "strays", T_INT, false);
	static const char *const strs[] = { "reason", "rule", "diff", "command", "stdout", "stderr",
		"files_digest", "kept" };
	for (size_t k = 0; k < sizeof strs / sizeof *strs; k++)
		field(v, o, p, strs[k], T_STR | T_NULL | (k == 3 && v->version >= 2 ? T_ARR : 0), false);
	json_t *known = field(v, o, p, "known", T_OBJ | T_NULL, false);
	if (json_is_object(known)) {
		field(v, known, vp_key(p, "known"), "reason", T_STR | T_NULL, false);
		field(v, known, vp_key(p, "known"), "link", T_STR | T_NULL, false);
	}
}

/* A version 2 command in parts: text, and indexes into "shared". Joined in the document,
 * which from then on holds every command as one string, as version 1 did. */
static void join_command(struct vctx *v, json_t *res, json_t *cmd, const json_t *shared, struct vpath p)
{
	struct buf b = BUF_INIT;
	size_t k, nshared = json_array_size(shared);
	json_t *x;
	bool ok = true;
	struct vpath pc = vp_key(p, "command");
	json_array_foreach(cmd, k, x) {
		struct vpath q = vp_idx(pc, k);
		if (json_is_string(x)) {
			buf_add(&b, json_string_value(x), json_string_length(x));
		} else if (!json_is_integer(x)) {
			verr(v, &q, "a part of a command is a string or an index into \"shared\", not %s", jsonload_type_name(x));
			ok = false;
		} else if (json_integer_value(x) < 0 || (unsigned long long)json_integer_value(x) >= nshared) {
			verr(v, &q, "refers to shared[%lld], but \"shared\" holds %zu string%s",
			     (long long)json_integer_value(x), nshared, nshared == 1 ? "" : "s");
			ok = false;
		} else {
			json_t *sv = json_array_get(shared, (size_t)json_integer_value(x));
			ok &= json_is_string(sv);	/* when not, that was said */
			if (ok)
				buf_add(&b, json_string_value(sv), json_string_length(sv));
		}
	}
	if (ok)
		json_object_set_new(res, "command", json_stringn(b.data ? b.data : "", b.len));
	buf_release(&b);
}

static int validate(struct results *rf, struct vctx *v)
{
	json_t *doc = rf->doc;
	struct vpath root = { .n = 0 };
	if (!json_is_object(doc)) {
		verr(v, &root, "a results file is a JSON object, not %s", jsonload_type_name(doc));
		return -1;
	}
	const char *schema = results_str(doc, "schema");
	if (!schema || strcmp(schema, RESULTS_SCHEMA)) {
		struct vpath p = vp_key(root, "schema");
		verr(v, schema ? &p : &root, "not a wasmatrix results file: schema is '%s', expected '%s'",
		     schema ? schema : "(missing)", RESULTS_SCHEMA);
		return -1;
	}
	json_t *ver = json_object_get(doc, "version");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1 || json_integer_value(ver) > RESULTS_VERSION) {
		struct vpath p = vp_key(root, "version");
		if (json_is_integer(ver) && json_integer_value(ver) > RESULTS_VERSION)
			verr(v, &p, "results version %lld is newer than this wasmatrix reads (%d); upgrade wasmatrix",
			     (long long)json_integer_value(ver), RESULTS_VERSION);
		else if (json_is_integer(ver))
			verr(v, &p, "unsupported results version %lld (this wasmatrix reads versions 1 to %d)",
			     (long long)json_integer_value(ver), RESULTS_VERSION);
		else
			verr(v, ver ? &p : &root, "%s results version (expected the integer %d)",
			     ver ? "invalid" : "missing", RESULTS_VERSION);
		return -1;
	}
	v->version = (long long)json_integer_value(ver);
	if (!v->no_nul)
		check_nul(v, doc, root);
	json_t *tool = field(v, doc, root, "tool", T_OBJ, true);
	if (tool) {
		field(v, tool, vp_key(root, "tool"), "name", T_STR, true);
		field(v, tool, vp_key(root, "tool"), "version", T_STR, true);
	}
	json_t *run = field(v, doc, root, "run", T_OBJ, true);
	if (run) {
		struct vpath p = vp_key(root, "run");
		field(v, run, p, "id", T_STR | T_NULL, false);
		field(v, run, p, "started", T_STR, false);
		field(v, run, p, "duration", T_NUM, false);
	}
	/* a run stopped by a signal holds only what finished */
	json_t *inc = field(v, doc, root, "incomplete", T_OBJ | T_NULL, false);
	if (json_is_object(inc)) {
		struct vpath p = vp_key(root, "incomplete");
		field(v, inc, p, "signal", T_STR | T_NULL, false);
		field(v, inc, p, "results", T_INT, true);
		field(v, inc, p, "planned", T_INT, true);
	}
	field(v, doc, root, "host", T_OBJ, false);
	field(v, doc, root, "summary", T_OBJ, false);
	field(v, doc, root, "agreement", T_OBJ, false);
	/* version 2: the strings results' commands share */
	json_t *shared = v->version >= 2 ? field(v, doc, root, "shared", T_ARR, false) : NULL;
	if (shared) {
		size_t k;
		json_t *x;
		json_array_foreach(shared, k, x)
			if (!json_is_string(x)) {
				struct vpath q = vp_idx(vp_key(root, "shared"), k);
				verr(v, &q, "must be a string, not %s", jsonload_type_name(x));
			}
	}
	rf->runtimes = field(v, doc, root, "runtimes", T_ARR, true);
	rf->suites = field(v, doc, root, "suites", T_ARR, true);
	rf->tests = field(v, doc, root, "tests", T_ARR, true);
	rf->results = field(v, doc, root, "results", T_ARR, true);
	if (!rf->runtimes || !rf->suites || !rf->tests || !rf->results)
		return -1;
	rf->nrts = json_array_size(rf->runtimes);
	rf->nsuites = json_array_size(rf->suites);
	rf->ntests = json_array_size(rf->tests);
	rf->nresults = json_array_size(rf->results);
	json_t *rtmap = json_object(), *suitemap = json_object(), *testmap = json_object();
	size_t i;
	json_t *o;
	json_array_foreach(rf->runtimes, i, o) {
		struct vpath p = vp_idx(vp_key(root, "runtimes"), i);
		if (!json_is_object(o)) {
			verr(v, &p, "must be an object, not %s", jsonload_type_name(o));
			continue;
		}
		json_t *name = field(v, o, p, "name", T_STR, true);
		field(v, o, p, "version", T_STR | T_NULL, true);
		field(v, o, p, "available", T_BOOL, true);
		field(v, o, p, "arch", T_STR, false);	/* runtime@version/arch; older files: absent */
		if (name) {
			struct vpath q = vp_key(p, "name");
			if (!*json_string_value(name))
				verr(v, &q, "runtime name is empty");
			else if (json_object_get(rtmap, json_string_value(name)))
				verr(v, &q, "runtime '%s' is listed twice", json_string_value(name));
			else
				json_object_set_new(rtmap, json_string_value(name), json_integer((json_int_t)i));
		}
	}
	json_array_foreach(rf->suites, i, o) {
		struct vpath p = vp_idx(vp_key(root, "suites"), i);
		if (!json_is_object(o)) {
			verr(v, &p, "must be an object, not %s", jsonload_type_name(o));
			continue;
		}
		json_t *name = field(v, o, p, "name", T_STR, true);
		if (name) {
			if (json_object_get(suitemap, json_string_value(name))) {
				struct vpath q = vp_key(p, "name");
				verr(v, &q, "suite '%s' is listed twice", json_string_value(name));
			} else {
				json_object_set_new(suitemap, json_string_value(name), json_integer((json_int_t)i));
			}
		}
	}
	rf->test_suite = xcalloc(rf->ntests + 1, sizeof *rf->test_suite);
	json_array_foreach(rf->tests, i, o) {
		struct vpath p = vp_idx(vp_key(root, "tests"), i);
		if (!json_is_object(o)) {
			verr(v, &p, "must be an object, not %s", jsonload_type_name(o));
			continue;
		}
		json_t *id = field(v, o, p, "id", T_STR, true);
		json_t *suite = field(v, o, p, "suite", T_STR, true);
		field(v, o, p, "name", T_STR, true);
		field(v, o, p, "file", T_STR | T_NULL, false);
		field(v, o, p, "line", T_INT, false);
		field(v, o, p, "expect", T_OBJ | T_NULL, false);
		field(v, o, p, "feature", T_STR, false);
		json_t *variant = field(v, o, p, "variant", T_STR, false);
		if (variant && strcmp(json_string_value(variant), "default") &&
		    strcmp(json_string_value(variant), "flag")) {
			struct vpath q = vp_key(p, "variant");
			verr(v, &q, "variant is \"default\" or \"flag\", not '%s'", json_string_value(variant));
		} else if (!json_object_get(o, "feature") != !json_object_get(o, "variant")) {
			struct vpath q = vp_key(p, json_object_get(o, "feature") ? "feature" : "variant");
			verr(v, &q, "a test has both \"feature\" and \"variant\" or neither");
		}
		json_t *spec = field(v, o, p, "spec", T_STR | T_NULL, false);
		if (json_is_string(spec) && strcmp(json_string_value(spec), "deterministic") &&
		    strcmp(json_string_value(spec), "nondeterministic")) {
			struct vpath q = vp_key(p, "spec");
			verr(v, &q, "spec is 'deterministic' or 'nondeterministic', not '%s'",
			     json_string_value(spec));
		}
		json_t *wasi = field(v, o, p, "wasi", T_STR, false);
		if (wasi) {
			const char *w = json_string_value(wasi);
			size_t digits = strncmp(w, "wasm32-wasip", 12) ? 0 : strspn(w + 12, "0123456789");
			if (!digits || digits > 2 || w[12 + digits]) {
				struct vpath q = vp_key(p, "wasi");
				verr(v, &q, "a test's WASI version is wasm32-wasip<N>, N of one or two digits "
				     "(wasm32-wasip1, -wasip2, -wasip3), not '%s'", w);
			}
		}
		json_t *def = field(v, o, p, "definition", T_STR | T_NULL, false);
		if (json_is_string(def) && !results_digest_valid(json_string_value(def))) {
			struct vpath q = vp_key(p, "definition");
			verr(v, &q, "a test definition digest is 64 lower-case hex digits, not '%s'",
			     json_string_value(def));
		}
		if (id) {
			if (json_object_get(testmap, json_string_value(id))) {
				struct vpath q = vp_key(p, "id");
				verr(v, &q, "test '%s' is listed twice", json_string_value(id));
			} else {
				json_object_set_new(testmap, json_string_value(id), json_integer((json_int_t)i));
			}
		}
		if (suite) {
			size_t s = map_get(suitemap, json_string_value(suite));
			if (s == (size_t)-1) {
				struct vpath q = vp_key(p, "suite");
				verr(v, &q, "unknown suite '%s' (not in \"suites\")", json_string_value(suite));
			} else {
				rf->test_suite[i] = s;
			}
		}
	}
	rf->cells = xcalloc(rf->ntests * rf->nrts + 1, sizeof *rf->cells);
	rf->res_test = xcalloc(rf->nresults + 1, sizeof *rf->res_test);
	rf->res_rt = xcalloc(rf->nresults + 1, sizeof *rf->res_rt);
	rf->res_outcome = xcalloc(rf->nresults + 1, sizeof *rf->res_outcome);
	size_t *first_of = NULL;	/* cell -> index of its result, built when needed */
	json_array_foreach(rf->results, i, o) {
		struct vpath p = vp_idx(vp_key(root, "results"), i);
		if (!json_is_object(o)) {
			verr(v, &p, "must be an object, not %s", jsonload_type_name(o));
			continue;
		}
		json_t *test, *rt, *oc;
		if (!result_fields_ok(v, o, &test, &rt, &oc))
			result_fields(v, o, p, &test, &rt, &oc);
		cache_fields(v, o, p);
		json_t *cmd = json_object_get(o, "command");
		if (json_is_array(cmd) && v->version >= 2)
			join_command(v, o, cmd, shared, p);
		enum outcome parsed = OUT_ERROR;
		if (oc && !outcome_parse(json_string_value(oc), &parsed)) {
			struct vpath q = vp_key(p, "outcome");
			verr(v, &q, "unknown outcome '%s'", json_string_value(oc));
		}
		size_t t = test ? map_get(testmap, json_string_value(test)) : (size_t)-1;
		size_t r = rt ? map_get(rtmap, json_string_value(rt)) : (size_t)-1;
		if (test && t == (size_t)-1) {
			struct vpath q = vp_key(p, "test");
			verr(v, &q, "unknown test '%s' (not in \"tests\")", json_string_value(test));
		}
		if (rt && r == (size_t)-1) {
			struct vpath q = vp_key(p, "runtime");
			verr(v, &q, "unknown runtime '%s' (not in \"runtimes\")", json_string_value(rt));
		}
		if (t == (size_t)-1 || r == (size_t)-1)
			continue;
		json_t **cell = &rf->cells[t * rf->nrts + r];
		if (*cell) {
			/* where the first one is: indexed once, at the first duplicate */
			if (!first_of) {
				first_of = xcalloc(rf->ntests * rf->nrts + 1, sizeof *first_of);
				for (size_t k = 0; k < i; k++) {
					size_t c = rf->res_test[k] * rf->nrts + rf->res_rt[k];
					if (rf->cells[c] == json_array_get(rf->results, k))
						first_of[c] = k;
				}
			}
			verr(v, &p, "duplicate result for test '%s' on runtime '%s' (first: results[%zu])",
			     json_string_value(test), json_string_value(rt), first_of[t * rf->nrts + r]);
			continue;
		}
		*cell = o;
		rf->res_outcome[i] = (unsigned char)parsed;
		if (first_of)
			first_of[t * rf->nrts + r] = i;
		rf->res_test[i] = t;
		rf->res_rt[i] = r;
	}
	free(first_of);
	json_decref(rtmap);
	json_decref(suitemap);
	json_decref(testmap);
	return v->errors ? -1 : 0;
}

static int finish(struct results *rf, struct vctx *v)
{
	int rc = validate(rf, v);
	if (v->yloaded > 0)
		ydoc_release(&v->y);
	if (rc < 0)
		return -1;
	/* every command is a string now (join_command): the table has served */
	if (v->version >= 2)
		json_object_del(rf->doc, "shared");
	rf->agreement = json_object_get(rf->doc, "agreement");
	if (!rf->agreement) {
		json_object_set_new(rf->doc, "agreement", agree_compute(rf->doc));
		rf->agreement = json_object_get(rf->doc, "agreement");
	}
	return 0;
}

int results_from_doc(struct results *rf, json_t *doc, const char *name, struct diag *d)
{
	memset(rf, 0, sizeof *rf);
	rf->path = xstrdup(name);
	rf->doc = doc;
	struct vctx v = { .file = name, .d = d };
	return finish(rf, &v);
}

int results_load(struct results *rf, const char *path, struct diag *d)
{
	memset(rf, 0, sizeof *rf);
	rf->path = xstrdup(path);
	json_error_t e;
	size_t len = 0;
	/* one read and json_loadb: json_load_file reads with getc, several times slower */
	char *text = fs_read_file(path, &len);
	if (!text) {
		diag_error(d, path, 0, 0, "cannot read results: %s", strerror(errno ? errno : ENOENT));
		return -1;
	}
	/* the fast reader for the common, valid case; jansson for the error and its position */
	bool nul = true;
	rf->doc = jsonload_fast(text, len, &nul);
	if (!rf->doc)
		rf->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	free(text);
	if (!rf->doc) {
		diag_error(d, path, e.line > 0 ? (unsigned)e.line : 0, e.column > 0 ? (unsigned)e.column : 1,
				   "invalid JSON: %s", e.text);
		return -1;
	}
	struct vctx v = { .file = path, .on_disk = true, .no_nul = !nul, .d = d };
	return finish(rf, &v);
}

/* Builds whose leak checker would call a document left to exit() a leak, and where leaks
 * are looked for (CI runs the whole test suite under ASan): they free it. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_LEAK__) || defined(WM_FREE_AT_EXIT)
#define FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define FREE_AT_EXIT 1
#endif
#endif

void results_release_at_exit(struct results *rf)
{
#ifdef FREE_AT_EXIT
	results_release(rf);
#else
	(void)rf;	/* exit() returns every page at once; freeing a tree of millions of
			 * nodes one by one took a quarter of a report's time */
#endif
}

void results_release(struct results *rf)
{
	free(rf->path);
	json_decref(rf->doc);
	free(rf->test_suite);
	free(rf->cells);
	free(rf->res_test);
	free(rf->res_rt);
	free(rf->res_outcome);
	memset(rf, 0, sizeof *rf);
}
