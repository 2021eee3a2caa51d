/* check.c - see check.h. `check` reuses the suite machinery: the module becomes a one-test
 * suite built in memory, run by run_execute() on every available runtime with the same
 * isolation as any suite (fresh copy of each --dir per runtime, exact environment, process
 * group, timeout, capped capture). The results are then grouped by observable behaviour:
 *   exited: exit code, stdout, stderr, files left in the preopens (tree digest)
 *   trap:   stdout and files (the trap message is the runtime's, not the guest's)
 *   refused / timeout / crash / error: the state alone.
 * The largest group is the majority; every other runtime gets what differs and the likely
 * causes, from the static view (imports, features), the runtime's refusal message, its
 * adapter (exit_passthrough_max, lacks, known) and, with --matrix, suite results. */
#define _GNU_SOURCE
#include "check.h"
#include "cmd.h"
#include "adapter.h"
#include "diff.h"
#include "escape.h"
#include "plan.h"
#include "results_read.h"
#include "results_write.h"
#include "run.h"
#include "term.h"
#include "fixture.h"
#include "guestpath.h"
#include "wasm.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[1;31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

/* ---------------------------------------------------------------- inspect */

static const char *const import_groups[] = { "wasi_snapshot_preview1", "wasi_unstable", "env" };

static bool is_group(const char *mod)
{
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(mod, import_groups[i]))
			return true;
	return false;
}

static json_t *limits_json(const struct wasm_limits *l, bool table)
{
	json_t *j = json_object();
	if (table) {
		const char *t = l->reftype == 0x70 ? "funcref" : l->reftype == 0x6f ? "externref" : "ref";
		json_object_set_new(j, "type", json_string(t));
	}
	json_object_set_new(j, "min", json_integer((json_int_t)l->min));
	json_object_set_new(j, "max", l->has_max ? json_integer((json_int_t)l->max) : json_null());
	json_object_set_new(j, "shared", json_boolean(l->shared));
	json_object_set_new(j, table ? "table64" : "memory64", json_boolean(l->is64));
	json_object_set_new(j, "imported", json_boolean(l->imported));
	return j;
}

static json_t *import_json(const struct wasm_import *im)
{
	json_t *j = json_pack("{s:o, s:s}", "name", results_bytes(im->name, strlen(im->name)), "kind",
			      wasm_extern_name(im->kind));
	if (im->kind == WX_GLOBAL)
		json_object_set_new(j, "mutable", json_boolean(im->type));
	return j;
}

static json_t *inspect_json(const char *path, const struct wasm_module *m, const char *err)
{
	json_t *j = json_object();
	json_object_set_new(j, "schema", json_string("wasmatrix-inspect"));
	json_object_set_new(j, "version", json_integer(1));
	json_object_set_new(j, "path", results_bytes(path, strlen(path)));
	json_object_set_new(j, "size", json_integer((json_int_t)m->size));
	json_object_set_new(j, "kind", json_string(m->component ? "component" : "core"));
	json_object_set_new(j, "binary_version", json_integer(m->version));
	json_object_set_new(j, "layer", json_integer(m->layer));
	json_object_set_new(j, "error", err ? results_bytes(err, strlen(err)) : json_null());
	json_t *imp = json_object();
	if (m->component) {
		json_t *a = json_array();
		for (size_t i = 0; i < m->nimports; i++)
			json_array_append_new(a, import_json(&m->imports[i]));
		json_object_set_new(imp, "component", a);
	} else {
		for (size_t g = 0; g < 3; g++) {
			json_t *a = json_array();
			for (size_t i = 0; i < m->nimports; i++)
				if (!strcmp(m->imports[i].module, import_groups[g]))
					json_array_append_new(a, import_json(&m->imports[i]));
			json_object_set_new(imp, import_groups[g], a);
		}
		json_t *others = json_object();
		for (size_t i = 0; i < m->nimports; i++) {
			const struct wasm_import *im = &m->imports[i];
			if (is_group(im->module))
				continue;
			json_t *a = json_object_get(others, im->module);
			if (!a) {
				a = json_array();
				json_object_set_new(others, im->module, a);
			}
			json_array_append_new(a, import_json(im));
		}
		json_object_set_new(imp, "other", others);
	}
	json_object_set_new(j, "imports", imp);
	json_t *ex = json_array();
	for (size_t i = 0; i < m->nexports; i++)
		json_array_append_new(ex, json_pack("{s:o, s:s, s:I}", "name",
						    results_bytes(m->exports[i].name, strlen(m->exports[i].name)),
						    "kind", wasm_extern_name(m->exports[i].kind), "index",
						    (json_int_t)m->exports[i].index));
	json_object_set_new(j, "exports", ex);
	json_t *mem = json_array(), *tab = json_array();
	for (size_t i = 0; i < m->nmemories; i++)
		json_array_append_new(mem, limits_json(&m->memories[i], false));
	for (size_t i = 0; i < m->ntables; i++)
		json_array_append_new(tab, limits_json(&m->tables[i], true));
	json_object_set_new(j, "memories", mem);
	json_object_set_new(j, "tables", tab);
	json_t *fe = json_object();
	for (int f = 0; f < WF__COUNT; f++)
		if (wasm_uses(m, f))
			json_object_set_new(fe, wasm_feature_name(f),
					    json_pack("{s:s, s:I, s:o}", "title", wasm_feature_title(f), "uses",
						      (json_int_t)m->features[f].count, "first",
						      results_bytes(m->features[f].first, strlen(m->features[f].first))));
	json_object_set_new(j, "features", fe);
	json_object_set_new(j, "counts", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"types", (json_int_t)m->ntypes, "functions", (json_int_t)m->nfuncs, "bodies", (json_int_t)m->ncode,
		"instructions", (json_int_t)m->ninstrs, "globals", (json_int_t)m->nglobals,
		"tags", (json_int_t)m->ntags, "data_segments", (json_int_t)m->ndata,
		"core_modules", (json_int_t)m->ncore_modules, "components", (json_int_t)m->ncomponents));
	json_t *cs = json_array();
	for (size_t i = 0; i < m->ncustoms; i++)
		json_array_append_new(cs, results_bytes(m->customs[i], strlen(m->customs[i])));
	json_object_set_new(j, "custom_sections", cs);
	return j;
}

/* Prints s made visible (text_visible), at most max bytes of it. */
static void put_clean(FILE *f, const char *s, size_t n, size_t max)
{
	struct buf v = BUF_INIT;
	text_visible(&v, s, n < max ? n : max, false);
	if (v.data)
		fputs(v.data, f);
	buf_release(&v);
	if (n > max)
		fputs("...", f);
}

/* Prints one line of text from input or a runtime made visible. */
static void put_vis(FILE *f, const char *s)
{
	put_clean(f, s ? s : "", s ? strlen(s) : 0, (size_t)-1);
}

static void print_limits(FILE *f, const struct wasm_limits *l, bool table)
{
	if (table)
		fprintf(f, "%s ", l->reftype == 0x70 ? "funcref" : l->reftype == 0x6f ? "externref" : "ref");
	fprintf(f, "min %llu", (unsigned long long)l->min);
	if (l->has_max)
		fprintf(f, ", max %llu", (unsigned long long)l->max);
	else
		fputs(", no max", f);
	if (!table)
		fputs(" pages", f);
	if (l->shared)
		fputs(", shared", f);
	if (l->is64)
		fputs(table ? ", table64" : ", memory64", f);
	if (l->imported)
		fputs(" (imported)", f);
}

static void print_import_list(FILE *f, const struct wasm_module *m, const char *mod)
{
	bool first = true;
	for (size_t i = 0; i < m->nimports; i++) {
		const struct wasm_import *im = &m->imports[i];
		if (strcmp(im->module, mod))
			continue;
		fputs(first ? "" : ", ", f);
		put_clean(f, im->name, strlen(im->name), 200);
		if (im->kind != WX_FUNC)
			fprintf(f, " (%s%s)", im->kind == WX_GLOBAL && im->type ? "mutable " : "", wasm_extern_name(im->kind));
		first = false;
	}
}

static size_t count_imports(const struct wasm_module *m, const char *mod)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nimports; i++)
		n += !strcmp(m->imports[i].module, mod);
	return n;
}

static void inspect_text(FILE *f, const char *path, const struct wasm_module *m, bool color)
{
	const char *b = color ? BOLD : "", *r = color ? RESET : "";
	fputs(b, f);
	put_vis(f, path);
	fprintf(f, "%s: ", r);
	if (m->component)
		fprintf(f, "component (binary version %u, layer %u), %zu bytes; %zu core module%s, %zu nested component%s\n",
			m->version, m->layer, m->size, m->ncore_modules, m->ncore_modules == 1 ? "" : "s",
			m->ncomponents, m->ncomponents == 1 ? "" : "s");
	else
		fprintf(f, "core module (version %u), %zu bytes\n", m->version, m->size);
	fprintf(f, "%simports%s (%zu):\n", b, r, m->nimports);
	if (m->component) {
		for (size_t i = 0; i < m->nimports; i++) {
			fputs("  ", f);
			put_clean(f, m->imports[i].name, strlen(m->imports[i].name), 200);
			fprintf(f, " (%s)\n", wasm_extern_name(m->imports[i].kind));
		}
	} else {
		struct strvec mods = STRVEC_INIT;
		for (size_t g = 0; g < 3; g++)
			strvec_push(&mods, import_groups[g]);
		for (size_t i = 0; i < m->nimports; i++) {
			bool seen = false;
			for (size_t k = 0; k < mods.n && !seen; k++)
				seen = !strcmp(mods.v[k], m->imports[i].module);
			if (!seen)
				strvec_push(&mods, m->imports[i].module);
		}
		for (size_t k = 0; k < mods.n; k++) {
			size_t n = count_imports(m, mods.v[k]);
			if (!n)
				continue;
			fputs("  ", f);
			put_clean(f, mods.v[k], strlen(mods.v[k]), 100);
			fprintf(f, "%s (%zu): ", k >= 3 ? " [other]" : "", n);
			print_import_list(f, m, mods.v[k]);
			fputc('\n', f);
		}
		strvec_release(&mods);
	}
	fprintf(f, "%sexports%s (%zu):", b, r, m->nexports);
	for (size_t i = 0; i < m->nexports; i++) {
		fputs(i ? ", " : " ", f);
		put_clean(f, m->exports[i].name, strlen(m->exports[i].name), 200);
		fprintf(f, " (%s %u)", wasm_extern_name(m->exports[i].kind), m->exports[i].index);
	}
	fputc('\n', f);
	for (size_t i = 0; i < m->nmemories; i++) {
		fprintf(f, "%smemory %zu%s: ", b, i, r);
		print_limits(f, &m->memories[i], false);
		fputc('\n', f);
	}
	for (size_t i = 0; i < m->ntables; i++) {
		fprintf(f, "%stable %zu%s: ", b, i, r);
		print_limits(f, &m->tables[i], true);
		fputc('\n', f);
	}
	size_t nf = 0;
	for (int k = 0; k < WF__COUNT; k++)
		nf += wasm_uses(m, k);
	fprintf(f, "%sfeatures%s (%zu post-MVP)%s\n", b, r, nf, nf ? ":" : ": none (MVP only)");
	for (int k = 0; k < WF__COUNT; k++)
		if (wasm_uses(m, k))
			fprintf(f, "  %-20s %s: %zu use%s; first: %s\n", wasm_feature_name(k), wasm_feature_title(k),
				m->features[k].count, m->features[k].count == 1 ? "" : "s", m->features[k].first);
	fprintf(f, "%scode%s: %zu types, %zu functions (%zu bodies, %zu instructions), %zu globals, %zu data segments%s\n",
		b, r, m->ntypes, m->nfuncs, m->ncode, m->ninstrs, m->nglobals, m->ndata,
		m->has_start ? ", start function" : "");
	if (m->ncustoms) {
		fprintf(f, "%scustom sections%s:", b, r);
		for (size_t i = 0; i < m->ncustoms; i++) {
			fputs(i ? ", " : " ", f);
			put_clean(f, m->customs[i], strlen(m->customs[i]), 100);
		}
		fputc('\n', f);
	}
}

/* Reads and parses a module. Returns 0 read fully, 1 read with an error past the header
 * (m holds what came before, *err says where), -1 unreadable or not WebAssembly. */
static int load_module(const char *path, struct wasm_module *m, char **err, const char *cmd)
{
	size_t len = 0;
	char *data = fs_read_file(path, &len);
	*err = NULL;
	memset(m, 0, sizeof *m);
	if (!data) {
		fprintf(stderr, "wasmatrix %s: cannot read '%s': %s\n", cmd, path, strerror(errno));
		return -1;
	}
	int rc = wasm_parse(m, (const unsigned char *)data, len, err);
	bool header = len >= 8 && wasm_is_wasm((const unsigned char *)data, len) &&
		(m->version == 1 || m->layer == 1);
	free(data);
	if (rc == 0)
		return 0;
	if (!header) {
		fprintf(stderr, "wasmatrix %s: %s: error: %s\n", cmd, path, *err);
		free(*err);
		*err = NULL;
		wasm_module_release(m);
		return -1;
	}
	return 1;
}

int check_inspect(const char *path, bool json, bool color)
{
	struct wasm_module m;
	char *err;
	int rc = load_module(path, &m, &err, "inspect");
	if (rc < 0)
		return EXIT_USAGE;
	if (rc > 0) {
		fprintf(stderr, "wasmatrix inspect: %s: error: %s\n", path, err);
		free(err);
		wasm_module_release(&m);
		return EXIT_USAGE;
	}
	if (json) {
		json_t *j = inspect_json(path, &m, NULL);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(j);
	} else {
		inspect_text(stdout, path, &m, color);
	}
	wasm_module_release(&m);
	return EXIT_OK;
}

/* ---------------------------------------------------------------- check */

enum bstate { B_EXITED, B_TRAP, B_REFUSED, B_TIMEOUT, B_CRASH, B_ERROR, B_SKIPPED };
static const char *const bstate_names[] = { "exited", "trap", "refused", "timeout", "crash", "error", "skipped" };

struct cause {
	const char *kind;
	char *detail;
};

struct rtinfo {
	enum bstate st;
	int group;		/* index into groups, -1 when skipped */
	struct strvec differs;	/* what differs from the majority */
	struct buf diff;	/* unified diffs against the majority */
	struct cause *causes;
	size_t ncauses;
};

struct group {
	size_t *rt;		/* runtime indexes, ascending */
	size_t n;
};

struct checkctx {
	const char *path;	/* as given */
	struct wasm_module m;
	char *parse_err;
	struct run run;
	struct strvec unavailable;	/* "name: why" */
	struct rtinfo *rt;
	struct group *groups;
	size_t ngroups;
	json_t *matrix;
	const char *matrix_path;
	unsigned char *module_bytes;
	size_t module_len;
	double timeout;
};

static enum bstate state_of(const struct result *r)
{
	switch (r->outcome) {
	case OUT_SKIP: return B_SKIPPED;
	case OUT_TIMEOUT: return B_TIMEOUT;
	case OUT_CRASH: return B_CRASH;
	case OUT_ERROR: return B_ERROR;
	case OUT_UNSUPPORTED: return B_REFUSED;
	default: return r->trapped ? B_TRAP : B_EXITED;
	}
}

static bool same_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && (an == 0 || !memcmp(a, b, an));
}

static bool same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static bool same_behaviour(const struct result *a, enum bstate sa, const struct result *b, enum bstate sb)
{
	if (sa != sb)
		return false;
	if (sa == B_EXITED)
		return a->exit_code == b->exit_code && same_bytes(a->out, a->outn, b->out, b->outn) &&
		       same_bytes(a->err, a->errn, b->err, b->errn) && same_str(a->files_digest, b->files_digest);
	if (sa == B_TRAP)
		return same_bytes(a->out, a->outn, b->out, b->outn) && same_str(a->files_digest, b->files_digest);
	return true;
}

static void add_cause(struct rtinfo *ri, const char *kind, char *detail)
{
	ri->causes = xrealloc(ri->causes, (ri->ncauses + 1) * sizeof *ri->causes);
	ri->causes[ri->ncauses++] = (struct cause){ kind, detail };
}

/* Whole-word, case-sensitive search of 'word' in s[0..n). */
static bool mentions(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);
	if (!wl || !s)
		return false;
	for (const char *p = s; (size_t)(p - s) + wl <= n; p++) {
		p = memmem(p, n - (size_t)(p - s), word, wl);
		if (!p)
			return false;
		bool lb = p == s || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
				     (p[-1] >= '0' && p[-1] <= '9'));
		const char *e = p + wl;
		bool rb = (size_t)(e - s) >= n || !(*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
						(*e >= '0' && *e <= '9'));
		if (lb && rb)
			return true;
	}
	return false;
}

static bool mentions_ci(const char *s, size_t n, const char *word)
{
	char *copy = xstrndup(s ? s : "", n);
	bool r = strcasestr(copy, word) != NULL;
	free(copy);
	return r;
}

/* Words in a refusal message that point at a feature. */
static const struct {
	enum wasm_feature f;
	const char *words[5];
} feature_words[] = {
	{ WF_SIMD, { "simd", "v128", "i8x16", "f32x4", NULL } },
	{ WF_RELAXED_SIMD, { "relaxed", NULL } },
	{ WF_TAIL_CALL, { "tail call", "tail-call", "return_call", "tail_call", NULL } },
	{ WF_EXCEPTIONS, { "exception", "try_table", "exnref", "throw", NULL } },
	{ WF_THREADS, { "thread", "atomic", "shared memor", NULL } },
	{ WF_SHARED_MEMORY, { "shared memor", "shared", NULL } },
	{ WF_GC, { "gc proposal", "garbage", "struct.new", "rec group", NULL } },
	{ WF_MEMORY64, { "memory64", "64-bit memor", "memory 64", NULL } },
	{ WF_MULTI_MEMORY, { "multi-memory", "multi_memory", "multiple memories", NULL } },
	{ WF_EXTENDED_CONST, { "extended-const", "extended_const", "constant expression", NULL } },
	{ WF_FUNCTION_REFERENCES, { "function-references", "function_references", "call_ref", NULL } },
	{ WF_BULK_MEMORY, { "bulk memory", "bulk-memory", "memory.copy", NULL } },
	{ WF_REFERENCE_TYPES, { "reference types", "reference-types", "externref", NULL } },
};

static bool refusal_cause(struct checkctx *cx, size_t ri_idx, const struct adapter *a, const struct result *r)
{
	struct rtinfo *ri = &cx->rt[ri_idx];
	char *line = text_first_line(r->err, r->errn, 200);
	bool found = false;
	/* an import it does not provide: the refusal names it */
	for (size_t i = 0; i < cx->m.nimports; i++) {
		const struct wasm_import *im = &cx->m.imports[i];
		if (mentions(r->err, r->errn, im->name) || mentions(r->out, r->outn, im->name)) {
			add_cause(ri, "missing-import",
				  xasprintf("%s does not provide the import %s%s%s (%s): %s", a->name, im->module,
					    *im->module ? "." : "", im->name, wasm_extern_name(im->kind), line));
			found = true;
		}
	}
	if (!found)	/* a whole import module it lacks */
		for (size_t i = 0; i < cx->m.nimports; i++) {
			const struct wasm_import *im = &cx->m.imports[i];
			if (*im->module && !is_group(im->module) && mentions(r->err, r->errn, im->module)) {
				add_cause(ri, "missing-import", xasprintf("%s provides no import module '%s': %s",
									  a->name, im->module, line));
				found = true;
				break;
			}
		}
	/* a feature it lacks: its message names it, or its adapter says so */
	for (size_t k = 0; k < sizeof feature_words / sizeof *feature_words; k++) {
		enum wasm_feature f = feature_words[k].f;
		if (!wasm_uses(&cx->m, f))
			continue;
		for (size_t w = 0; feature_words[k].words[w]; w++)
			if (mentions_ci(r->err, r->errn, feature_words[k].words[w])) {
				add_cause(ri, "feature", xasprintf("%s does not support %s (the module uses it: %s): %s",
								   a->name, wasm_feature_title(f), cx->m.features[f].first,
								   line));
				found = true;
				break;
			}
	}
	for (int f = 0; f < WF__COUNT; f++)
		for (size_t j = 0; j < a->lacks.n; j++)
			if (wasm_uses(&cx->m, f) && !strcmp(a->lacks.v[j], wasm_feature_name(f))) {
				add_cause(ri, "feature", xasprintf("%s lacks '%s' (%s: lacks)", a->name,
								   wasm_feature_name(f), a->file));
				found = true;
			}
	if (!found) {
		bool opcode = mentions_ci(r->err, r->errn, "opcode") || mentions_ci(r->err, r->errn, "unknown instruction") ||
			      mentions_ci(r->err, r->errn, "not enabled") || mentions_ci(r->err, r->errn, "unsupported") ||
			      mentions_ci(r->err, r->errn, "invalid") || mentions_ci(r->err, r->errn, "proposal");
		struct buf used = BUF_INIT;
		for (int f = 0; f < WF__COUNT; f++)
			if (wasm_uses(&cx->m, f))
				buf_addf(&used, "%s%s", used.len ? ", " : "", wasm_feature_name(f));
		if (opcode && used.len) {
			add_cause(ri, "feature", xasprintf("%s rejected the code; the module uses post-MVP features "
							   "(%s): %s", a->name, used.data, line));
			found = true;
		}
		buf_release(&used);
	}
	if (!found)
		add_cause(ri, "refused", xasprintf("%s refused the module: %s", a->name, line));
	free(line);
	return found;
}

static void output_hints(struct checkctx *cx, struct rtinfo *ri)
{
	static const struct {
		const char *import, *hint;
	} hints[] = {
		{ "fd_readdir", "the module lists a directory (fd_readdir): runtimes differ in whether '.' and '..' "
				"are listed, in entry order and in d_type/d_ino values" },
		{ "clock_time_get", "the module reads a clock (clock_time_get): its output may differ on every run" },
		{ "random_get", "the module reads random bytes (random_get): its output may differ on every run" },
		{ "fd_filestat_get", "the module reads file metadata (fd_filestat_get): inode numbers, times and sizes "
				     "of directories are host- and runtime-specific" },
		{ "path_filestat_get", "the module reads file metadata (path_filestat_get): inode numbers, times and "
				       "sizes of directories are host- and runtime-specific" },
	};
	for (size_t h = 0; h < sizeof hints / sizeof *hints; h++)
		for (size_t i = 0; i < cx->m.nimports; i++)
			if (!strcmp(cx->m.imports[i].name, hints[h].import) &&
			    strncmp(cx->m.imports[i].module, "wasi_", 5) == 0) {
				add_cause(ri, "wasi-behaviour", xstrdup(hints[h].hint));
				break;
			}
}

/* With --matrix: tests of that run using this very module, and tests needing a feature the
 * module uses, that did not pass on this runtime. */
static void matrix_causes(struct checkctx *cx, struct rtinfo *ri, const struct adapter *a)
{
	if (!cx->matrix)
		return;
	json_t *tests = json_object_get(cx->matrix, "tests"), *results = json_object_get(cx->matrix, "results");
	size_t i;
	json_t *t;
	json_array_foreach(tests, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		const char *mod = json_string_value(json_object_get(t, "module"));
		if (!id || !mod)
			continue;
		bool same = false;
		size_t n = 0;
		char *data = fs_read_file(mod, &n);
		same = data && n == cx->module_len && !memcmp(data, cx->module_bytes, n);
		free(data);
		json_t *needs = json_object_get(t, "requires"), *tags = json_object_get(t, "tags");
		int feat = -1;
		for (int f = 0; f < WF__COUNT && feat < 0 && !same; f++) {
			if (!wasm_uses(&cx->m, f))
				continue;
			size_t k;
			json_t *v;
			json_array_foreach(needs, k, v)
				if (json_string_value(v) && !strcmp(json_string_value(v), wasm_feature_name(f)))
					feat = f;
			json_array_foreach(tags, k, v)
				if (json_string_value(v) && !strcmp(json_string_value(v), wasm_feature_name(f)))
					feat = f;
		}
		if (!same && feat < 0)
			continue;
		size_t k;
		json_t *r;
		json_array_foreach(results, k, r) {
			const char *rid = json_string_value(json_object_get(r, "test"));
			const char *rrt = json_string_value(json_object_get(r, "runtime"));
			const char *oc = json_string_value(json_object_get(r, "outcome"));
			if (!rid || !rrt || !oc || strcmp(rid, id) || strcmp(rrt, a->name) || !strcmp(oc, "pass"))
				continue;
			const char *why = json_string_value(json_object_get(r, "reason"));
			const char *known = json_string_value(json_object_get(json_object_get(r, "known"), "reason"));
			if (same)
				add_cause(ri, "matrix", xasprintf("%s: test %s (this module) was %s on %s: %s%s%s",
								  cx->matrix_path, id, oc, a->name, why ? why : "-",
								  known ? "; known: " : "", known ? known : ""));
			else
				add_cause(ri, "matrix", xasprintf("%s: %s is %s on test %s, which needs '%s': %s",
								  cx->matrix_path, a->name, oc, id,
								  wasm_feature_name(feat), why ? why : "-"));
		}
	}
}

static void describe(struct buf *b, const struct result *r, enum bstate st)
{
	switch (st) {
	case B_EXITED:
		buf_addf(b, "exit %d, stdout %zu bytes, stderr %zu bytes", r->exit_code, r->outn, r->errn);
		break;
	case B_TRAP:
		buf_addf(b, "trap (exit %d), stdout %zu bytes", r->exit_code, r->outn);
		break;
	default:
		buf_addf(b, "%s", bstate_names[st]);
		if (r->reason)
			buf_addf(b, ": %s", r->reason);
	}
	if (r->files_digest && (st == B_EXITED || st == B_TRAP))
		buf_addf(b, ", files %s", r->files_digest);
}

static void add_diff(struct buf *d, const char *what, const char *maj, const char *a, size_t an, const char *b,
		     size_t bn)
{
	buf_addf(d, "%s: majority (%s) vs this runtime\n", what, maj);
	diff_unified(a ? a : "", an, b ? b : "", bn, d);
}

static void analyse(struct checkctx *cx)
{
	struct run *run = &cx->run;
	size_t n = run->nrts;
	cx->rt = xcalloc(n + 1, sizeof *cx->rt);
	cx->groups = xcalloc(n + 1, sizeof *cx->groups);
	for (size_t i = 0; i < n; i++) {
		struct rtinfo *ri = &cx->rt[i];
		ri->st = state_of(&run->results[i]);
		ri->group = -1;
		buf_init(&ri->diff, 0);
		if (ri->st == B_SKIPPED)
			continue;
		for (size_t g = 0; g < cx->ngroups && ri->group < 0; g++) {
			size_t rep = cx->groups[g].rt[0];
			if (same_behaviour(&run->results[rep], cx->rt[rep].st, &run->results[i], ri->st))
				ri->group = (int)g;
		}
		if (ri->group < 0) {
			ri->group = (int)cx->ngroups;
			cx->groups[cx->ngroups++].rt = xcalloc(n + 1, sizeof(size_t));
		}
		struct group *g = &cx->groups[ri->group];
		g->rt[g->n++] = i;
	}
	/* largest group first; ties keep the order of the first runtime */
	for (size_t a = 1; a < cx->ngroups; a++)
		for (size_t b = a; b > 0 && cx->groups[b].n > cx->groups[b - 1].n; b--) {
			struct group tmp = cx->groups[b];
			cx->groups[b] = cx->groups[b - 1];
			cx->groups[b - 1] = tmp;
		}
	for (size_t g = 0; g < cx->ngroups; g++)
		for (size_t k = 0; k < cx->groups[g].n; k++)
			cx->rt[cx->groups[g].rt[k]].group = (int)g;
	if (cx->ngroups < 2)
		return;
	size_t mi = cx->groups[0].rt[0];
	const struct result *M = &run->results[mi];
	enum bstate ms = cx->rt[mi].st;
	const char *mname = run->rts[mi].name;
	char *test_id = run->tests[0]->id;
	for (size_t g = 1; g < cx->ngroups; g++)
		for (size_t k = 0; k < cx->groups[g].n; k++) {
			size_t i = cx->groups[g].rt[k];
			struct rtinfo *ri = &cx->rt[i];
			const struct result *r = &run->results[i];
			const struct adapter *a = &run->rts[i];
			char *line = text_first_line(r->err, r->errn, 200);
			if (ri->st != ms)
				strvec_push_nodup(&ri->differs, xasprintf("%s (majority: %s)", bstate_names[ri->st],
									   bstate_names[ms]));
			switch (ri->st) {
			case B_TIMEOUT:
				add_cause(ri, "timeout", xasprintf("%s did not finish within %gs (the majority finished in "
								   "%.2fs)%s", a->name, cx->timeout, M->duration,
								   r->cache == CC_WARM ? ", with the module's compiled code "
								   "in its cache" : r->cache == CC_COLD ? ", compiling cold" : ""));
				break;
			case B_CRASH:
				add_cause(ri, "crash", xasprintf("%s itself crashed: %s", a->name, r->reason ? r->reason : "?"));
				break;
			case B_ERROR:
				add_cause(ri, "error", xasprintf("wasmatrix could not run %s: %s", a->name,
								 r->reason ? r->reason : "?"));
				break;
			case B_REFUSED:
				refusal_cause(cx, i, a, r);
				break;
			case B_TRAP:
				if (ms != B_TRAP)
					add_cause(ri, "trap", xasprintf("the module trapped on %s: %s", a->name, line));
				break;
			default:
				break;
			}
			if (ms == B_REFUSED && ri->st != B_REFUSED)
				add_cause(ri, "runs", xasprintf("%s runs the module, which the majority refused", a->name));
			bool cmp_out = (ri->st == B_EXITED || ri->st == B_TRAP) && (ms == B_EXITED || ms == B_TRAP);
			if (ri->st == B_EXITED && ms == B_EXITED && r->exit_code != M->exit_code) {
				strvec_push_nodup(&ri->differs, xasprintf("exit code %d (majority: %d)", r->exit_code,
									   M->exit_code));
				int hi = M->exit_code > r->exit_code ? M->exit_code : r->exit_code;
				if (M->exit_code > a->exit_passthrough_max)
					add_cause(ri, "exit-code-range",
						  xasprintf("%s does not report guest exit codes above %d faithfully (%s: "
							    "exit_passthrough_max: %d); the guest exited %d: %s", a->name,
							    a->exit_passthrough_max, a->file, a->exit_passthrough_max,
							    M->exit_code, line));
				else if (hi > 125 && r->exit_code > 125)
					add_cause(ri, "exit-code-range",
						  xasprintf("%s reported exit %d; exit codes above 125 are unreliable across "
							    "runtimes (the majority reports %d)", a->name, r->exit_code,
							    M->exit_code));
				else
					add_cause(ri, "exit-code", xasprintf("%s exited %d, the majority %d%s%s", a->name,
									     r->exit_code, M->exit_code, *line ? ": " : "", line));
			}
			bool outdiff = false;
			if (cmp_out && !same_bytes(r->out, r->outn, M->out, M->outn)) {
				strvec_push(&ri->differs, "stdout");
				add_diff(&ri->diff, "stdout", mname, M->out, M->outn, r->out, r->outn);
				outdiff = true;
			}
			if (ri->st == B_EXITED && ms == B_EXITED && !same_bytes(r->err, r->errn, M->err, M->errn)) {
				strvec_push(&ri->differs, "stderr");
				add_diff(&ri->diff, "stderr", mname, M->err, M->errn, r->err, r->errn);
				outdiff = true;
			}
			if (cmp_out && !same_str(r->files_digest, M->files_digest)) {
				strvec_push_nodup(&ri->differs, xasprintf("files left in the preopened directories (digest "
									   "%s, majority %s)", r->files_digest ? r->files_digest : "-",
									   M->files_digest ? M->files_digest : "-"));
				outdiff = true;
			}
			if (outdiff && ri->st == ms)
				output_hints(cx, ri);
			if (outdiff && !ri->ncauses)
				add_cause(ri, "output", xasprintf("%s ran the module to the end with different output "
								  "(see the diff)", a->name));
			const struct known_div *kd = adapter_known(a, test_id);
			if (kd)
				add_cause(ri, "known-divergence", xasprintf("%s (%s%s%s)", kd->reason, a->file,
									    kd->link ? ", " : "", kd->link ? kd->link : ""));
			matrix_causes(cx, ri, a);
			free(line);
		}
}

/* ---- output ---- */

static void print_block(FILE *f, const char *s, size_t n, const char *indent, size_t max_lines)
{
	size_t lines = 0;
	const char *p = s, *e = s + n;
	while (p < e && lines < max_lines) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(e - p);
		fputs(indent, f);
		put_clean(f, p, l, 300);
		fputc('\n', f);
		lines++;
		p += l + (nl ? 1 : 0);
	}
	if (p < e)
		fprintf(f, "%s... (%zu more bytes)\n", indent, (size_t)(e - p));
}

static void module_summary(struct buf *b, const struct checkctx *cx)
{
	const struct wasm_module *m = &cx->m;
	buf_addf(b, "%s, %zu bytes; ", m->component ? "component" : "core module", m->size);
	buf_addf(b, "%zu import%s", m->nimports, m->nimports == 1 ? "" : "s");
	if (!m->component) {
		size_t w = count_imports(m, "wasi_snapshot_preview1"), u = count_imports(m, "wasi_unstable"),
		       e = count_imports(m, "env");
		buf_addf(b, " (%zu wasi_snapshot_preview1, %zu wasi_unstable, %zu env, %zu other)", w, u, e,
			 m->nimports - w - u - e);
	}
	buf_adds(b, "; features: ");
	size_t nf = 0;
	for (int k = 0; k < WF__COUNT; k++)
		if (wasm_uses(m, k))
			buf_addf(b, "%s%s", nf++ ? ", " : "", wasm_feature_name(k));
	if (!nf)
		buf_adds(b, "none (MVP)");
}

static void render_text(FILE *f, struct checkctx *cx, bool color)
{
	struct run *run = &cx->run;
	const char *B = color ? BOLD : "", *R = color ? RESET : "", *D = color ? DIM : "";
	struct buf sum = BUF_INIT;
	module_summary(&sum, cx);
	fprintf(f, "%smodule%s   ", B, R);
	put_vis(f, cx->path);
	fprintf(f, ": %s\n", sum.data);
	buf_release(&sum);
	if (cx->parse_err)
		fprintf(f, "%s          warning: the static view is partial: %s%s\n", color ? YELLOW : "", cx->parse_err, R);
	fprintf(f, "%sruntimes%s ", B, R);
	for (size_t i = 0; i < run->nrts; i++)
{
		fputs(i ? ", " : "", f);
		put_vis(f, run->rts[i].name);
		fputc(' ', f);
		put_vis(f, run->rts[i].version ? run->rts[i].version : "?");
	}
	fputc('\n', f);
	if (cx->unavailable.n) {
		fprintf(f, "%s          not available:", D);
		for (size_t i = 0; i < cx->unavailable.n; i++)
{
			fprintf(f, "%s ", i ? "," : "");
			put_vis(f, cx->unavailable.v[i]);
		}
		fprintf(f, "%s\n", R);
	}
	for (size_t i = 0; i < run->nrts; i++)
		if (cx->rt[i].st == B_SKIPPED)
{
			fprintf(f, "%s          skipped ", D);
			put_vis(f, run->rts[i].name);
			fputs(": ", f);
			put_vis(f, run->results[i].reason);
			fprintf(f, "%s\n", R);
		}
	fputc('\n', f);
	size_t ran = 0;
	for (size_t g = 0; g < cx->ngroups; g++)
		ran += cx->groups[g].n;
	if (cx->ngroups == 1)
		fprintf(f, "%sPORTABLE%s: the %zu runtimes behave the same\n", color ? "\033[1;32m" : "", R, ran);
	else
		fprintf(f, "%sNOT PORTABLE%s: %zu behaviours on %zu runtimes\n", color ? RED : "", R, cx->ngroups, ran);
	for (size_t g = 0; g < cx->ngroups; g++) {
		const struct group *gr = &cx->groups[g];
		const struct result *rep = &run->results[gr->rt[0]];
		fprintf(f, "\n%s[%zu]%s %s", B, g + 1, R, g == 0 && cx->ngroups > 1 ? "majority: " : "");
		for (size_t k = 0; k < gr->n; k++)
{
			fprintf(f, "%s%s", k ? ", " : "", color ? (g ? YELLOW : GREEN) : "");
			put_vis(f, run->rts[gr->rt[k]].name);
			fputs(R, f);
		}
		struct buf d = BUF_INIT;
		describe(&d, rep, cx->rt[gr->rt[0]].st);
		fputs("\n    ", f);
		put_vis(f, d.data);
		fputc('\n', f);
		buf_release(&d);
		if (rep->outn && (cx->rt[gr->rt[0]].st == B_EXITED || cx->rt[gr->rt[0]].st == B_TRAP)) {
			fprintf(f, "    %sstdout:%s\n", D, R);
			print_block(f, rep->out, rep->outn, "      | ", 8);
		}
		if (g == 0)
			continue;
		for (size_t k = 0; k < gr->n; k++) {
			size_t i = gr->rt[k];
			const struct rtinfo *ri = &cx->rt[i];
			fprintf(f, "  %s", B);
			put_vis(f, run->rts[i].name);
			fprintf(f, "%s differs:", R);
			for (size_t j = 0; j < ri->differs.n; j++) {
				fprintf(f, "%s ", j ? ";" : "");
				put_vis(f, ri->differs.v[j]);
			}
			fputc('\n', f);
			for (size_t j = 0; j < ri->ncauses; j++) {
				fprintf(f, "    %slikely cause%s [%s]: ", color ? YELLOW : "", R, ri->causes[j].kind);
				put_vis(f, ri->causes[j].detail);
				fputc('\n', f);
			}
			if (ri->diff.len)
				print_block(f, ri->diff.data, ri->diff.len, "      ", 40);
		}
	}
}

static json_t *result_behaviour(const struct result *r, enum bstate st)
{
	json_t *j = json_object();
	json_object_set_new(j, "state", json_string(bstate_names[st]));
	json_object_set_new(j, "exit_code", r->exit_code >= 0 ? json_integer(r->exit_code) : json_null());
	json_object_set_new(j, "stdout", results_bytes(r->out ? r->out : "", r->outn));
	json_object_set_new(j, "stderr", results_bytes(r->err ? r->err : "", r->errn));
	json_object_set_new(j, "files_digest", r->files_digest ? json_string(r->files_digest) : json_null());
	json_object_set_new(j, "reason", r->reason ? results_bytes(r->reason, strlen(r->reason)) : json_null());
	json_object_set_new(j, "duration", json_real(r->duration));
	json_object_set_new(j, "command", r->command ? results_bytes(r->command, strlen(r->command)) : json_null());
	return j;
}

static json_t *check_json(struct checkctx *cx)
{
	struct run *run = &cx->run;
	const struct test *t = run->tests[0];
	json_t *j = json_object();
	json_object_set_new(j, "schema", json_string("wasmatrix-check"));
	json_object_set_new(j, "version", json_integer(1));
	json_object_set_new(j, "verdict", json_string(cx->ngroups == 1 ? "portable" : "not-portable"));
	json_object_set_new(j, "module", inspect_json(cx->path, &cx->m, cx->parse_err));
	json_t *env = json_object(), *args = json_array(), *dirs = json_array();
	for (size_t i = 0; i < t->args.n; i++)
		json_array_append_new(args, results_bytes(t->args.v[i], strlen(t->args.v[i])));
	for (size_t i = 0; i < t->nenv; i++)
		json_object_set_new(env, t->env[i].key, results_bytes(t->env[i].value, strlen(t->env[i].value)));
	for (size_t i = 0; i < t->ndirs; i++)
		json_array_append_new(dirs, json_pack("{s:s, s:s}", "host", t->dirs[i].host, "guest", t->dirs[i].guest));
	json_object_set_new(j, "invocation", json_pack("{s:o, s:o, s:o, s:I, s:f}", "args", args, "env", env, "dirs",
						       dirs, "stdin_bytes", (json_int_t)t->stdin_len, "timeout", cx->timeout));
	json_t *rts = json_array();
	for (size_t i = 0; i < run->nrts; i++) {
		const struct adapter *a = &run->rts[i];
		json_array_append_new(rts, json_pack("{s:s, s:s, s:o, s:o, s:o}", "name", a->name, "version",
						     a->version ? a->version : "?", "group",
						     cx->rt[i].group >= 0 ? json_integer(cx->rt[i].group) : json_null(),
						     "state", json_string(bstate_names[cx->rt[i].st]), "skipped",
						     cx->rt[i].st == B_SKIPPED ? json_string(run->results[i].reason) : json_null()));
	}
	json_t *un = json_array();
	for (size_t i = 0; i < cx->unavailable.n; i++)
		json_array_append_new(un, json_string(cx->unavailable.v[i]));
	json_object_set_new(j, "runtimes", rts);
	json_object_set_new(j, "unavailable", un);
	json_t *groups = json_array();
	for (size_t g = 0; g < cx->ngroups; g++) {
		const struct group *gr = &cx->groups[g];
		json_t *names = json_array(), *divs = json_array();
		for (size_t k = 0; k < gr->n; k++) {
			size_t i = gr->rt[k];
			json_array_append_new(names, json_string(run->rts[i].name));
			if (g == 0)
				continue;
			const struct rtinfo *ri = &cx->rt[i];
			json_t *differs = json_array(), *causes = json_array();
			for (size_t d = 0; d < ri->differs.n; d++)
				json_array_append_new(differs, json_string(ri->differs.v[d]));
			for (size_t c = 0; c < ri->ncauses; c++)
				json_array_append_new(causes, json_pack("{s:s, s:o}", "kind", ri->causes[c].kind, "detail",
									results_bytes(ri->causes[c].detail,
										   strlen(ri->causes[c].detail))));
			json_array_append_new(divs, json_pack("{s:s, s:o, s:o, s:o, s:o}", "runtime", run->rts[i].name,
							      "differs", differs, "causes", causes, "diff",
							      ri->diff.len ? results_bytes(ri->diff.data, ri->diff.len) : json_null(),
							      "behaviour", result_behaviour(&run->results[i], ri->st)));
		}
		json_array_append_new(groups, json_pack("{s:o, s:b, s:o, s:o}", "runtimes", names, "majority",
							g == 0 && cx->ngroups > 1, "behaviour",
							result_behaviour(&run->results[gr->rt[0]], cx->rt[gr->rt[0]].st),
							"divergences", divs));
	}
	json_object_set_new(j, "groups", groups);
	return j;
}

static void html_s(FILE *f, const char *s)
{
	esc_html_file(f, s ? s : "", s ? strlen(s) : 0);
}

static void render_html(FILE *f, struct checkctx *cx)
{
	struct run *run = &cx->run;
	bool portable = cx->ngroups == 1;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>wasmatrix check: ", f);
	html_s(f, path_basename(cx->path));
	fputs("</title>\n<style>\n"
	      "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}\n"
	      "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\n"
	      ".verdict{display:inline-block;padding:.3em .8em;border-radius:4px;font-weight:bold;color:#fff}\n"
	      ".ok{background:#2e7d32}.bad{background:#c62828}\n"
	      "table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35em .6em;"
	      "text-align:left;vertical-align:top}\n"
	      "th{background:#f3f3f3}td.g0{background:#e8f5e9}td.gn{background:#fff3e0}\n"
	      "pre{background:#f7f7f7;padding:.6em;overflow:auto;max-height:24em;font-size:12px}\n"
	      ".cause{margin:.2em 0}.kind{font-family:monospace;background:#eee;padding:0 .3em;border-radius:3px}\n"
	      ".dim{color:#777}\n"
	      "</style></head><body>\n<h1>wasmatrix check: <code>", f);
	html_s(f, cx->path);
	fprintf(f, "</code></h1>\n<p><span class=\"verdict %s\">%s</span> %zu behaviour%s on the runtimes that ran it</p>\n",
		portable ? "ok" : "bad", portable ? "PORTABLE" : "NOT PORTABLE", cx->ngroups, cx->ngroups == 1 ? "" : "s");
	struct buf sum = BUF_INIT;
	module_summary(&sum, cx);
	fputs("<p>", f);
	esc_html_file(f, sum.data, sum.len);
	fputs("</p>\n", f);
	buf_release(&sum);
	if (cx->unavailable.n) {
		fputs("<p class=\"dim\">Not available:", f);
		for (size_t i = 0; i < cx->unavailable.n; i++) {
			fputs(i ? ", " : " ", f);
			html_s(f, cx->unavailable.v[i]);
		}
		fputs("</p>\n", f);
	}
	fputs("<table><tr><th>runtime</th><th>version</th><th>group</th><th>behaviour</th><th>likely causes</th></tr>\n", f);
	for (size_t i = 0; i < run->nrts; i++) {
		const struct rtinfo *ri = &cx->rt[i];
		struct buf d = BUF_INIT;
		describe(&d, &run->results[i], ri->st);
		fprintf(f, "<tr><td>%s</td><td>", run->rts[i].name);
		html_s(f, run->rts[i].version);
		fprintf(f, "</td><td class=\"%s\">", ri->group == 0 ? "g0" : "gn");
		if (ri->group >= 0)
			fprintf(f, "%d%s", ri->group + 1, ri->group == 0 && !portable ? " (majority)" : "");
		else
			fputs("skipped", f);
		fputs("</td><td>", f);
		esc_html_file(f, d.data, d.len);
		fputs("</td><td>", f);
		for (size_t c = 0; c < ri->ncauses; c++) {
			fprintf(f, "<div class=\"cause\"><span class=\"kind\">%s</span> ", ri->causes[c].kind);
			html_s(f, ri->causes[c].detail);
			fputs("</div>", f);
		}
		fputs("</td></tr>\n", f);
		buf_release(&d);
	}
	fputs("</table>\n", f);
	for (size_t g = 0; g < cx->ngroups; g++) {
		const struct group *gr = &cx->groups[g];
		const struct result *rep = &run->results[gr->rt[0]];
		fprintf(f, "<h2>Group %zu%s:", g + 1, g == 0 && !portable ? " (majority)" : "");
		for (size_t k = 0; k < gr->n; k++)
			fprintf(f, "%s%s", k ? ", " : " ", run->rts[gr->rt[k]].name);
		fputs("</h2>\n<p>stdout:</p><pre>", f);
		esc_html_file(f, rep->out ? rep->out : "", rep->outn);
		fputs("</pre>\n<p>stderr:</p><pre>", f);
		esc_html_file(f, rep->err ? rep->err : "", rep->errn);
		fputs("</pre>\n", f);
		for (size_t k = 0; g && k < gr->n; k++) {
			const struct rtinfo *ri = &cx->rt[gr->rt[k]];
			if (!ri->diff.len)
				continue;
			fprintf(f, "<p>%s against the majority:</p><pre>", run->rts[gr->rt[k]].name);
			esc_html_file(f, ri->diff.data, ri->diff.len);
			fputs("</pre>\n", f);
		}
	}
	fputs("<p class=\"dim\">Generated by wasmatrix check.</p>\n</body></html>\n", f);
}

/* ---- command ---- */

static void checkctx_release(struct checkctx *cx)
{
	for (size_t i = 0; cx->rt && i < cx->run.nrts; i++) {
		strvec_release(&cx->rt[i].differs);
		buf_release(&cx->rt[i].diff);
		for (size_t c = 0; c < cx->rt[i].ncauses; c++)
			free(cx->rt[i].causes[c].detail);
		free(cx->rt[i].causes);
	}
	free(cx->rt);
	for (size_t g = 0; g < cx->ngroups; g++)
		free(cx->groups[g].rt);
	free(cx->groups);
	run_release(&cx->run);
	wasm_module_release(&cx->m);
	free(cx->parse_err);
	strvec_release(&cx->unavailable);
	if (cx->matrix)
		json_decref(cx->matrix);
	free(cx->module_bytes);
}

/* --matrix: read through the validating results reader (results_read.h), so a bad file gets
 * file:line:col errors and exit 2 like every other results input. */
static int load_matrix(struct checkctx *cx, const char *path)
{
	struct results rf;
	if (cmd_load_results(&rf, path) < 0) {
		results_release(&rf);
		return -1;
	}
	cx->matrix = json_incref(rf.doc);
	cx->matrix_path = path;
	results_release(&rf);
	return 0;
}

/* The one test: the module with its arguments, environment, preopens and stdin.
 * Returns 0, or -1 after printing what is wrong (t is then still the caller's). */
static int build_test(struct checkctx *cx, const struct check_opts *o, struct test *t)
{
	char *abs = realpath(cx->path, NULL);
	t->module = abs ? abs : xstrdup(cx->path);
	t->name = xstrdup(path_basename(cx->path));
	t->id = xasprintf("check/%s", t->name);
	t->file = xstrdup(cx->path);
	t->expect.exit = xcalloc(1, sizeof *t->expect.exit);
	t->expect.nexit = 1;
	t->timeout = cx->timeout;
	for (size_t i = 0; i < o->nargs; i++)
		strvec_push(&t->args, o->args[i]);
	t->env = xcalloc(o->envs->n + 1, sizeof *t->env);
	for (size_t i = 0; i < o->envs->n; i++) {
		const char *kv = o->envs->v[i], *eq = strchr(kv, '=');
		if (!eq || eq == kv) {
			fprintf(stderr, "wasmatrix check: --env takes KEY=VALUE, not '%s'\n", kv);
			return -1;
		}
		t->env[t->nenv].key = xstrndup(kv, (size_t)(eq - kv));
		t->env[t->nenv++].value = xstrdup(eq + 1);
	}
	t->dirs = xcalloc(o->dirs->n + 1, sizeof *t->dirs);
	for (size_t i = 0; i < o->dirs->n; i++) {
		char *spec = o->dirs->v[i], *colon = strrchr(spec, ':');
		char *host = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
		const char *guest = colon ? colon + 1 : spec;
		char *real = realpath(host, NULL), *why = NULL;
		const char *bad = guestpath_invalid(guest);
		free(host);
		if (!real || !fs_is_dir(real) || bad) {
			fprintf(stderr, "wasmatrix check: --dir '%s': %s%s%s\n", spec, bad ? "guest path " : "",
				bad ? bad : "host directory not found",
				bad ? " (a guest path is '/', '.', or names without '..' or empty components)" : "");
			free(real);
			return -1;
		}
		if (fixture_check(real, &why) < 0) {
			fprintf(stderr, "wasmatrix check: --dir '%s': %s\n", spec, why);
			free(why);
			free(real);
			return -1;
		}
		t->dirs[t->ndirs].host = real;
		t->dirs[t->ndirs++].guest = xstrdup(guest);
	}
	if (o->stdin_file) {
		t->stdin_data = fs_read_file(o->stdin_file, &t->stdin_len);
		if (!t->stdin_data) {
			fprintf(stderr, "wasmatrix check: --stdin: cannot read '%s': %s\n", o->stdin_file, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Writes the report in o->format to o->out (or stdout). Returns -1 when the output
 * cannot be opened, 0 otherwise (a failed commit is reported, the verdict stands). */
static int write_report(struct checkctx *cx, const struct check_opts *o)
{
	struct wfile wf;
	char *why = NULL;
	if (wfile_open(&wf, o->out ? o->out : "-", &why) < 0) {
		fprintf(stderr, "wasmatrix check: %s\n", why);
		free(why);
		return -1;
	}
	FILE *of = wf.f;
	if (!strcmp(o->format, "json")) {
		json_t *j = check_json(cx);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(of, "%s\n", s);
		free(s);
		json_decref(j);
	} else if (!strcmp(o->format, "html")) {
		render_html(of, cx);
	} else {
		render_text(of, cx, o->color);
	}
	if (wfile_commit(&wf, &why) < 0) {
		fprintf(stderr, "wasmatrix check: %s\n", why);
		free(why);
	} else if (o->out && strcmp(o->format, "text")) {
		fprintf(stderr, "wasmatrix check: wrote %s\n", o->out);
	}
	return 0;
}

int check_module(const struct check_opts *o)
{
	struct checkctx cx;
	memset(&cx, 0, sizeof cx);
	cx.timeout = o->timeout;
	cx.path = o->path;
	struct test *t = xcalloc(1, sizeof *t);
	int rc = EXIT_USAGE;
	int lm = load_module(cx.path, &cx.m, &cx.parse_err, "check");
	if (lm < 0)
		goto out;
	if (lm > 0)
		fprintf(stderr, "wasmatrix check: warning: %s: the static view is partial: %s\n", cx.path, cx.parse_err);
	cx.module_bytes = (unsigned char *)fs_read_file(cx.path, &cx.module_len);
	if ((o->matrix && load_matrix(&cx, o->matrix) < 0) || build_test(&cx, o, t) < 0)
		goto out;
	if ((rc = plan_check_runtimes(&cx.run, o->runtimes, o->runners, o->runtimes_dir, &cx.unavailable)) != EXIT_OK)
		goto out;
	struct run *run = &cx.run;
	run->suites = xcalloc(1, sizeof *run->suites);
	run->nsuites = 1;
	run->suites[0].name = xstrdup("check");
	run->suites[0].path = xstrdup(cx.path);
	run->suites[0].kind = xstrdup("check");
	run->suites[0].tests = t;
	run->suites[0].ntests = 1;
	t = NULL;	/* the run owns it now */
	plan_select(run, NULL);
	const char *tmp = getenv("TMPDIR");
	struct run_opts ro = { cx.timeout, (int)run->nrts, 4 << 20, false, tmp && *tmp ? tmp : "/tmp", NULL, NULL,
			       o->stop, 0 };
	/* with the compile caches on, a runtime that times out while compiling cold compiles
	 * into its cache and runs again warm (run.c) before it can be called slow */
	char *cwhy = NULL, *croot = o->cold ? NULL : run_cache_root(&cwhy);
	if (!o->cold && !croot) {
		fprintf(stderr, "wasmatrix check: warning: %s; running cold\n", cwhy);
		free(cwhy);
	} else if (croot && run_cache_prepare(run, croot, &cwhy) < 0) {
		fprintf(stderr, "wasmatrix check: compile cache: %s (or run with --cold)\n", cwhy);
		free(cwhy);
		free(croot);
		rc = EXIT_USAGE;
		goto out;
	}
	free(croot);
	run->id = xasprintf("check-%lx-%lx", (unsigned long)time(NULL), (unsigned long)getpid());
	if (run_execute(run, &ro) < 0 || run->stopped) {
		rc = EXIT_FAULT;
		goto out;
	}
	analyse(&cx);
	size_t ran = 0;
	for (size_t g = 0; g < cx.ngroups; g++)
		ran += cx.groups[g].n;
	if (write_report(&cx, o) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (ran < 2) {
		fprintf(stderr, "wasmatrix check: only %zu runtime%s could run the module; nothing to compare\n", ran,
			ran == 1 ? "" : "s");
		rc = EXIT_FAULT;
	} else {
		rc = cx.ngroups == 1 ? EXIT_OK : EXIT_UNEXPECTED;
	}
out:
	if (t) {
		test_release(t);
		free(t);
	}
	checkctx_release(&cx);
	return rc;
}
