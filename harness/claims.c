/* claims.c - see claims.h. The checks are those of features.schema.json (draft-07):
 * required and allowed keys, types, the category enum, the queryKey pattern, and a status
 * as one of null, true, false, "flag", a non-empty version string, or a two-item array of
 * one of those and a non-empty note. One more than the schema: a claim must name a
 * feature of the "features" object (a misspelt key would never show in any matrix).
 * jansson knows positions only for syntax errors, so for the others the file is read once
 * more as YAML (ynode.h) and the offending node's line:col looked up, as results_read.c
 * does. */
#define _GNU_SOURCE
#include "claims.h"
#include "jsonload.h"
#include "util.h"
#include "ynode.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#define MAX_ERRORS 50
#define CPATH_MAX 6

/* A place in the document: object keys, or array indexes where key is NULL; at_key: the
 * last key itself rather than its value (an unknown key is shown where it is written). */
struct cpath {
	const char *key[CPATH_MAX];
	size_t idx[CPATH_MAX];
	int n;
	bool at_key;
};

struct cctx {
	const char *file;
	struct diag *d;
	struct ydoc y;
	int yloaded;		/* 0 not tried, 1 loaded, -1 failed */
	size_t errors;
	json_t *features;	/* the "features" object, once known to be one */
};

static struct cpath cp_key(struct cpath p, const char *k)
{
	if (p.n < CPATH_MAX)
		p.key[p.n] = k, p.idx[p.n++] = 0;
	return p;
}

static struct cpath cp_idx(struct cpath p, size_t i)
{
	if (p.n < CPATH_MAX)
		p.key[p.n] = NULL, p.idx[p.n++] = i;
	return p;
}

/* Line and column of the deepest node of the path found in the YAML reading. */
static void cp_locate(struct cctx *v, const struct cpath *p, unsigned *line, unsigned *col)
{
	*line = *col = 0;
	if (!v->yloaded) {
		struct diag tmp = DIAG_INIT;
		v->yloaded = ydoc_load(&v->y, v->file, &tmp) == 0 ? 1 : -1;
		diag_release(&tmp);
	}
	const struct ynode *n = v->yloaded > 0 ? v->y.root : NULL;
	for (int i = 0; n; i++) {
		*line = n->line, *col = n->col;
		if (i == p->n)
			break;
		if (p->key[i] && p->at_key && i == p->n - 1 && n->kind == YN_MAP) {
			for (size_t k = 0; k < YMAP_PAIRS(n); k++)
				if (!strcmp(YMAP_KEY(n, k)->str, p->key[i]))
					*line = YMAP_KEY(n, k)->line, *col = YMAP_KEY(n, k)->col;
			break;
		}
		if (p->key[i])
			n = n->kind == YN_MAP ? ynode_get(n, p->key[i]) : NULL;
		else
			n = n->kind == YN_SEQ && p->idx[i] < n->n ? n->kids[p->idx[i]] : NULL;
	}
}

static void verr(struct cctx *v, const struct cpath *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void verr(struct cctx *v, const struct cpath *p, const char *fmt, ...)
{
	if (++v->errors > MAX_ERRORS)
		return;
	struct buf b = BUF_INIT;
	for (int i = 0; i < p->n; i++) {
		if (p->key[i])
			buf_addf(&b, "%s%s", i ? "." : "", p->key[i]);
		else
			buf_addf(&b, "[%zu]", p->idx[i]);
	}
	buf_adds(&b, p->n ? ": " : "");
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(&b, m);
	free(m);
	if (v->errors == MAX_ERRORS)
		buf_adds(&b, " (further errors not shown)");
	unsigned line, col;
	cp_locate(v, p, &line, &col);
	diag_error(v->d, v->file, line, col, "%s", b.data);
	buf_release(&b);
}

/* A string member (required or not); NULL when absent or wrong (reported). */
static const char *str_field(struct cctx *v, const json_t *obj, struct cpath p, const char *key, bool required)
{
	json_t *j = json_object_get(obj, key);
	struct cpath q = cp_key(p, key);
	if (!j && required)
		verr(v, &p, "missing key '%s'", key);
	else if (j && !json_is_string(j))
		verr(v, &q, "must be a string, not %s", jsonload_type_name(j));
	else if (j && memchr(json_string_value(j), 0, json_string_length(j)))
		verr(v, &q, "contains a NUL character");
	else
		return j ? json_string_value(j) : NULL;
	return NULL;
}

/* Every key of obj is one of 'allowed' (additionalProperties: false). */
static void only_keys(struct cctx *v, const json_t *obj, struct cpath p, const char *const *allowed, size_t n)
{
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)obj, k, x) {
		size_t i = 0;
		while (i < n && strcmp(allowed[i], k))
			i++;
		if (i == n) {
			struct cpath q = cp_key(p, k);
			q.at_key = true;
			verr(v, &q, "unknown key '%s'", k);
		}
	}
}

static bool is_object(struct cctx *v, const json_t *j, struct cpath p, const char *what)
{
	if (json_is_object(j))
		return true;
	verr(v, &p, "%s must be an object, not %s", what, jsonload_type_name(j));
	return false;
}

/* features.<key>: description, url, phase (an integer >= 1 or "inactive"). */
static void check_feature(struct cctx *v, const char *key, const json_t *f)
{
	static const char *const keys[] = { "description", "url", "phase" };
	struct cpath p = cp_key(cp_key((struct cpath){ .n = 0 }, "features"), key);
	if (!is_object(v, f, p, "a feature"))
		return;
	only_keys(v, f, p, keys, N_ELEMS(keys));
	str_field(v, f, p, "description", true);
	str_field(v, f, p, "url", true);
	json_t *ph = json_object_get(f, "phase");
	struct cpath q = cp_key(p, "phase");
	if (!ph)
		verr(v, &p, "missing key 'phase'");
	else if (!(json_is_integer(ph) && json_integer_value(ph) >= 1) &&
		 !(json_is_string(ph) && !strcmp(json_string_value(ph), "inactive")))
		verr(v, &q, "a phase is an integer from 1 or \"inactive\"");
}

static bool category_ok(const json_t *j)
{
	static const char *const cats[] = { "Web Browsers", "Standalone Runtimes", "Embedded Runtimes", "Tools" };
	for (size_t i = 0; json_is_string(j) && i < N_ELEMS(cats); i++)
		if (!strcmp(json_string_value(j), cats[i]))
			return true;
	return false;
}

static void check_category(struct cctx *v, const json_t *j, struct cpath p)
{
	if (!category_ok(j))
		verr(v, &p, "a category is one of \"Web Browsers\", \"Standalone Runtimes\", \"Embedded Runtimes\", "
			    "\"Tools\"");
}

/* category: one category, or an array of two or more different ones. */
static void check_categories_of(struct cctx *v, const json_t *c, struct cpath p)
{
	if (!json_is_array(c)) {
		check_category(v, c, p);
		return;
	}
	if (json_array_size(c) < 2)
		verr(v, &p, "a list of categories has two or more");
	for (size_t i = 0; i < json_array_size(c); i++) {
		check_category(v, json_array_get(c, i), cp_idx(p, i));
		for (size_t k = 0; k < i; k++)
			if (json_equal(json_array_get(c, i), json_array_get(c, k))) {
				struct cpath q = cp_idx(p, i);
				verr(v, &q, "category listed twice");
			}
	}
}

/* A status without a note: null, true, false, "flag" or a non-empty version string. */
static bool simple_status(const json_t *j)
{
	return json_is_null(j) || json_is_boolean(j) || (json_is_string(j) && json_string_length(j) > 0 &&
							   !memchr(json_string_value(j), 0, json_string_length(j)));
}

static void check_status(struct cctx *v, const json_t *s, struct cpath p)
{
	if (simple_status(s))
		return;
	if (!json_is_array(s)) {
		verr(v, &p, "a claim is a version string, true, false, null, \"flag\" or [claim, \"note\"], not %s",
		     !json_is_string(s) ? jsonload_type_name(s) : json_string_length(s) ? "a string holding a NUL" : "an empty string");
		return;
	}
	const json_t *note = json_array_get(s, 1);
	if (json_array_size(s) != 2)
		verr(v, &p, "a claim with a note is [claim, \"note\"]: two items, not %zu", json_array_size(s));
	else if (!simple_status(json_array_get(s, 0))) {
		struct cpath q = cp_idx(p, 0);
		verr(v, &q, "the claim of [claim, \"note\"] is a version string, true, false, null or \"flag\"");
	} else if (!json_is_string(note) || !json_string_length(note) ||
		   memchr(json_string_value(note), 0, json_string_length(note))) {
		struct cpath q = cp_idx(p, 1);
		verr(v, &q, "the note of [claim, \"note\"] is a non-empty string without NUL");
	}
}

static void check_browser(struct cctx *v, const char *name, const json_t *b)
{
	static const char *const keys[] = { "url", "logo", "logoClassName", "category", "features" };
	struct cpath p = cp_key(cp_key((struct cpath){ .n = 0 }, "browsers"), name);
	if (!is_object(v, b, p, "a platform"))
		return;
	only_keys(v, b, p, keys, N_ELEMS(keys));
	str_field(v, b, p, "url", true);
	str_field(v, b, p, "logo", false);
	str_field(v, b, p, "logoClassName", false);
	json_t *cat = json_object_get(b, "category"), *fs = json_object_get(b, "features");
	if (!cat)
		verr(v, &p, "missing key 'category'");
	else
		check_categories_of(v, cat, cp_key(p, "category"));
	if (!fs) {
		verr(v, &p, "missing key 'features'");
		return;
	}
	struct cpath fp = cp_key(p, "features");
	if (!is_object(v, fs, fp, "a platform's features"))
		return;
	const char *k;
	json_t *s;
	json_object_foreach(fs, k, s) {
		struct cpath q = cp_key(fp, k);
		if (v->features && !json_object_get(v->features, k)) {
			struct cpath kq = q;
			kq.at_key = true;
			verr(v, &kq, "unknown feature '%s' (not a key of \"features\")", k);
		}
		check_status(v, s, q);
	}
}

static bool query_key_ok(const char *s)
{
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_-.~", *c))
			return false;
	return *s;
}

static void check_category_list(struct cctx *v, const json_t *cats)
{
	struct cpath p = cp_key((struct cpath){ .n = 0 }, "categories");
	if (!json_is_array(cats)) {
		verr(v, &p, "must be an array, not %s", jsonload_type_name(cats));
		return;
	}
	for (size_t i = 0; i < json_array_size(cats); i++) {
		json_t *c = json_array_get(cats, i), *dflt = json_object_get(c, "default");
		struct cpath q = cp_idx(p, i);
		if (!is_object(v, c, q, "a category"))
			continue;
		if (json_object_get(c, "name"))
			check_category(v, json_object_get(c, "name"), cp_key(q, "name"));
		else
			verr(v, &q, "missing key 'name'");
		const char *qk = str_field(v, c, q, "queryKey", true);
		struct cpath qq = cp_key(q, "queryKey");
		if (qk && !query_key_ok(qk))
			verr(v, &qq, "a queryKey is letters, digits and _-.~");
		struct cpath dq = cp_key(q, "default");
		if (dflt && !json_is_true(dflt))
			verr(v, &dq, "\"default\" can only be true");
	}
}

static void check_top(struct cctx *v, json_t *doc)
{
	static const char *const keys[] = { "$schema", "features", "categories", "browsers" };
	struct cpath top = { .n = 0 };
	if (!is_object(v, doc, top, "a feature table"))
		return;
	only_keys(v, doc, top, keys, N_ELEMS(keys));
	str_field(v, doc, top, "$schema", false);
	json_t *fs = json_object_get(doc, "features"), *bs = json_object_get(doc, "browsers");
	const char *k;
	json_t *x;
	if (!fs)
		verr(v, &top, "missing key 'features'");
	else if (is_object(v, fs, cp_key(top, "features"), "\"features\"")) {
		v->features = fs;
		json_object_foreach(fs, k, x)
			check_feature(v, k, x);
	}
	if (json_object_get(doc, "categories"))
		check_category_list(v, json_object_get(doc, "categories"));
	if (!bs)
		verr(v, &top, "missing key 'browsers'");
	else if (is_object(v, bs, cp_key(top, "browsers"), "\"browsers\""))
		json_object_foreach(bs, k, x)
			check_browser(v, k, x);
}

/* The document, or NULL with the syntax error at its position. */
static json_t *parse(const char *path, struct diag *d)
{
	size_t len = 0;
	char *text = fs_read_file(path, &len);
	if (!text) {
		diag_error(d, path, 0, 0, "cannot read the claims: %s", strerror(errno ? errno : ENOENT));
		return NULL;
	}
	bool nul = false;
	json_error_t e;
	json_t *doc = jsonload_fast(text, len, &nul);
	if (!doc)
		doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	free(text);
	if (!doc)
		diag_error(d, path, e.line > 0 ? (unsigned)e.line : 0, e.column > 0 ? (unsigned)e.column : 1,
			   "invalid JSON: %s", e.text);
	return doc;
}

int claims_load(struct claims *c, const char *path, struct diag *d)
{
	memset(c, 0, sizeof *c);
	c->path = xstrdup(path);
	json_t *doc = parse(path, d);
	if (!doc)
		return -1;
	struct cctx v = { .file = path, .d = d };
	check_top(&v, doc);
	if (v.yloaded > 0)
		ydoc_release(&v.y);
	if (v.errors) {
		json_decref(doc);
		return -1;
	}
	c->doc = doc;
	c->features = json_object_get(doc, "features");
	c->browsers = json_object_get(doc, "browsers");
	return 0;
}

void claims_release(struct claims *c)
{
	json_decref(c->doc);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const char *claims_platform(const struct claims *c, const char *runtime)
{
	static const char *const map[][2] = { { "node", "Node.js" }, { "deno", "Deno" }, { "wasmtime", "Wasmtime" },
		{ "wasmer", "Wasmer" }, { "wasm3", "Wasm3" }, { "wasmi", "Wasmi" }, { "wazero", "wazero" },
		{ "wasmedge", "wasmedge" } };
	for (size_t i = 0; i < N_ELEMS(map); i++)
		if (!strcmp(map[i][0], runtime))
			return json_object_get(c->browsers, map[i][1]) ? map[i][1] : NULL;
	const char *k;
	json_t *x;
	json_object_foreach(c->browsers, k, x)
		if (!strcasecmp(k, runtime))
			return k;
	return NULL;
}

static struct claim claim_of(const json_t *s)
{
	struct claim cl = { CLAIM_NA, NULL, NULL };
	if (json_is_array(s)) {
		cl = claim_of(json_array_get(s, 0));
		cl.note = json_string_value(json_array_get(s, 1));
	} else if (json_is_boolean(s)) {
		cl.kind = json_is_true(s) ? CLAIM_YES : CLAIM_NO;
	} else if (json_is_string(s) && !strcmp(json_string_value(s), "flag")) {
		cl.kind = CLAIM_FLAG;
	} else if (json_is_string(s)) {
		cl.kind = CLAIM_VERSION;
		cl.version = json_string_value(s);
	}
	return cl;
}

struct claim claims_get(const struct claims *c, const char *platform, const char *feature)
{
	json_t *fs = platform ? json_object_get(json_object_get(c->browsers, platform), "features") : NULL;
	json_t *s = fs ? json_object_get(fs, feature) : NULL;
	if (!s)
		return (struct claim){ CLAIM_ABSENT, NULL, NULL };
	return claim_of(s);
}

const char *claims_feature_title(const struct claims *c, const char *feature)
{
	return json_string_value(json_object_get(json_object_get(c->features, feature), "description"));
}

const char *claims_text(const struct claim *cl)
{
	switch (cl->kind) {
	case CLAIM_VERSION: return cl->version;
	case CLAIM_FLAG: return "flag";
	case CLAIM_YES: return "yes";
	case CLAIM_NO: return "no";
	case CLAIM_NA: return "n/a";
	default: return "none";
	}
}
