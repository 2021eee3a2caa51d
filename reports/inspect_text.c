/* inspect_text.c - `wasmatrix inspect --format text`: the static view (inspect.h) for
 * people; names from the module are made visible (escape.h) and cut at 100-200 bytes. */
#include "escape.h"
#include "inspect.h"
#include "strset.h"
#include "strvec.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define RESET "\033[0m"

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
		esc_term_file(f, im->name, strlen(im->name), 200);
		if (im->kind != WX_FUNC)
			fprintf(f, " (%s%s)", im->kind == WX_GLOBAL && im->type ? "mutable " : "", wasm_extern_name(im->kind));
		first = false;
	}
}

/* Distinct strings in order of first appearance, each with a count; linear in the
 * input (strset), whatever the module holds. */
struct tally {
	struct strset set;
	struct strvec keys;
	size_t *counts;
	size_t cap;
};

static void tally_init(struct tally *t)
{
	memset(t, 0, sizeof *t);
	strset_init(&t->set);
}

/* Adds one to key (owned from here on); returns its index. */
static size_t tally_add(struct tally *t, char *key)
{
	size_t idx;
	if (strset_get(&t->set, key, strlen(key), &idx)) {
		free(key);
		t->counts[idx]++;
		return idx;
	}
	if (t->keys.n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->counts = xrealloc(t->counts, t->cap * sizeof *t->counts);
	}
	idx = t->keys.n;
	strvec_push_nodup(&t->keys, key);
	t->counts[idx] = 1;
	strset_add(&t->set, t->keys.v[idx], strlen(key), idx, NULL);
	return idx;
}

static void tally_release(struct tally *t)
{
	strset_release(&t->set);
	strvec_release(&t->keys);
	free(t->counts);
}

/* A component import's or export's members, at most about 160 bytes of names. */
static void print_members(FILE *f, const struct wasm_module *m, uint32_t members)
{
	const struct wasm_members *l = wasm_members_of(m, members);
	if (!l)
		return;
	fputc(':', f);
	/* functions first, then the types (resources, records, ...) */
	size_t shown = 0, bytes = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->n && bytes < 160; i++) {
			const struct wasm_member *mb = &l->v[i];
			if ((mb->kind == WX_TYPE) != pass)
				continue;
			fputs(shown++ ? ", " : " ", f);
			esc_term_file(f, mb->name, strlen(mb->name), 100);
			if (mb->kind != WX_COMPONENT_FUNC && mb->kind != WX_FUNC)
				fprintf(f, " (%s)", wasm_extern_name(mb->kind));
			bytes += strlen(mb->name) + 2;
		}
	if (shown < l->n)
		fprintf(f, ", ... (%zu more)", l->n - shown);
	if (!l->n)
		fputs(" (nothing)", f);
}

/* Component imports and exports: one line each, with what each holds. */
static void print_component_externs(FILE *f, const struct wasm_module *m, bool exports)
{
	size_t n = exports ? m->nexports : m->nimports;
	for (size_t i = 0; i < n; i++) {
		const char *nm = exports ? m->exports[i].name : m->imports[i].name;
		enum wasm_extern k = exports ? m->exports[i].kind : m->imports[i].kind;
		fputs("  ", f);
		esc_term_file(f, nm, strlen(nm), 200);
		if (exports)
			fprintf(f, " (%s %u)", wasm_extern_name(k), m->exports[i].index);
		else
			fprintf(f, " (%s)", wasm_extern_name(k));
		print_members(f, m, exports ? m->exports[i].members : m->imports[i].members);
		fputc('\n', f);
	}
}

/* "packages: wasi:cli@0.2.12 (10 interfaces), ...": the interfaces imported and
 * exported, by package and version, in order of first appearance. */
static void print_packages(FILE *f, const struct wasm_module *m, const char *b, const char *r)
{
	struct tally pkgs, ifaces;
	tally_init(&pkgs);
	tally_init(&ifaces);
	size_t *counts = xcalloc(m->nimports + m->nexports + 1, sizeof *counts);
	for (size_t i = 0; i < m->nimports + m->nexports; i++) {
		const char *nm = i < m->nimports ? m->imports[i].name : m->exports[i - m->nimports].name;
		struct inspect_iface fc;
		if (!inspect_iface(nm, &fc))
			continue;
		char *key = xasprintf("%.*s@%s", (int)fc.npkg, fc.pkg, fc.version ? fc.version : "(no version)");
		char *full = xasprintf("%s/%.*s", key, (int)fc.niface, fc.iface);
		tally_add(&pkgs, key);
		tally_add(&ifaces, full);
	}
	/* interfaces per package: count the distinct interfaces of each */
	for (size_t j = 0; j < ifaces.keys.n; j++) {
		const char *full = ifaces.keys.v[j], *slash = strrchr(full, '/');
		size_t k;
		if (slash && strset_get(&pkgs.set, full, (size_t)(slash - full), &k))
			counts[k]++;
	}
	if (pkgs.keys.n) {
		fprintf(f, "%spackages%s (%zu):", b, r, pkgs.keys.n);
		for (size_t k = 0; k < pkgs.keys.n; k++) {
			fputs(k ? ", " : " ", f);
			esc_term_file(f, pkgs.keys.v[k], strlen(pkgs.keys.v[k]), 100);
			fprintf(f, " (%zu interface%s)", counts[k], counts[k] == 1 ? "" : "s");
		}
		fputc('\n', f);
	}
	free(counts);
	tally_release(&pkgs);
	tally_release(&ifaces);
}

/* "wasi: 0.3 (wasi: interfaces at 0.3.0, 0.2.4)" and the world, for a component. */
static void print_wasi_world(FILE *f, const struct wasm_module *m, const char *b, const char *r)
{
	const char *w = inspect_wasi(m);
	fprintf(f, "%swasi%s: %s", b, r, w ? w : "none (no wasi: interface)");
	struct tally vers;
	tally_init(&vers);
	for (size_t i = 0; i < m->nimports + m->nexports; i++) {
		const char *nm = i < m->nimports ? m->imports[i].name : m->exports[i - m->nimports].name;
		struct inspect_iface fc;
		if (strncmp(nm, "wasi:", 5) || !inspect_iface(nm, &fc) || !fc.version)
			continue;
		tally_add(&vers, xstrdup(fc.version));
	}
	for (size_t i = 0; i < vers.keys.n && i < 8; i++) {
		fputs(i ? ", " : " (wasi: interfaces at ", f);
		esc_term_file(f, vers.keys.v[i], strlen(vers.keys.v[i]), 40);
	}
	if (vers.keys.n > 8)
		fprintf(f, ", ... (%zu more)", vers.keys.n - 8);
	fputs(vers.keys.n ? ")\n" : "\n", f);
	tally_release(&vers);
	const char *why = NULL, *world = wasm_component_world(m, &why);
	fprintf(f, "%sworld%s: ", b, r);
	if (world) {
		fprintf(f, "%s (it exports ", world);
		esc_term_file(f, why, strlen(why), 100);
		fputs(!strcmp(world, "wasi:http/service") && w && !strcmp(w, "0.2") ?
		      "; the 0.2 world is named wasi:http/proxy)\n" : ")\n", f);
	} else {
		fputs("unknown (it exports neither wasi:cli/run nor wasi:http/incoming-handler or wasi:http/handler)\n", f);
	}
}

/* One line per nested core module: size, imports by module, exports, features. */
static void print_cores(FILE *f, const struct wasm_module *m, const char *b, const char *r)
{
	fprintf(f, "%score modules%s (%zu", b, r, m->ncore_modules);
	if (m->ncores < m->ncore_modules)
		fprintf(f, ", the first %zu shown", m->ncores);
	fputs(m->ncores ? "):\n" : ")\n", f);
	for (size_t i = 0; i < m->ncores; i++) {
		const struct wasm_module *c = &m->cores[i];
		fputs("  ", f);
		esc_term_str(f, c->where ? c->where : "?");
		fprintf(f, ": %zu bytes; imports (%zu)", c->size, c->nimports);
		struct tally mods;
		tally_init(&mods);
		for (size_t k = 0; k < c->nimports; k++)
			tally_add(&mods, xstrdup(c->imports[k].module));
		size_t bytes = 0, k = 0;
		for (; k < mods.keys.n && bytes < 160; k++) {
			fputs(k ? ", " : ": ", f);
			if (!*mods.keys.v[k])
				fputs("\"\"", f);
			esc_term_file(f, mods.keys.v[k], strlen(mods.keys.v[k]), 100);
			fprintf(f, " (%zu)", mods.counts[k]);
			bytes += strlen(mods.keys.v[k]) + 6;
		}
		if (k < mods.keys.n)
			fprintf(f, ", ... (%zu more modules)", mods.keys.n - k);
		tally_release(&mods);
		fprintf(f, "; exports (%zu)", c->nexports);
		bytes = 0;
		k = 0;
		for (; k < c->nexports && bytes < 120; k++) {
			fputs(k ? ", " : ": ", f);
			esc_term_file(f, c->exports[k].name, strlen(c->exports[k].name), 100);
			bytes += strlen(c->exports[k].name) + 2;
		}
		if (k < c->nexports)
			fprintf(f, ", ... (%zu more)", c->nexports - k);
		fprintf(f, "; %zu memor%s; features: ", c->nmemories, c->nmemories == 1 ? "y" : "ies");
		size_t nf = 0;
		for (int ft = 0; ft < WF__COUNT; ft++)
			if (wasm_uses(c, ft))
				fprintf(f, "%s%s", nf++ ? ", " : "", wasm_feature_name(ft));
		fputs(nf ? "\n" : "none (MVP only)\n", f);
	}
}

/* Core modules: one line per import module, the groups first, then the others in the
 * order they are first imported. */
static void print_imports(FILE *f, const struct wasm_module *m)
{
	if (m->component) {
		print_component_externs(f, m, false);
		return;
	}
	struct strvec mods = STRVEC_INIT;
	for (size_t g = 0; g < INSPECT_NGROUPS; g++)
		strvec_push(&mods, inspect_import_groups[g]);
	for (size_t i = 0; i < m->nimports; i++) {
		bool seen = false;
		for (size_t k = 0; k < mods.n && !seen; k++)
			seen = !strcmp(mods.v[k], m->imports[i].module);
		if (!seen)
			strvec_push(&mods, m->imports[i].module);
	}
	for (size_t k = 0; k < mods.n; k++) {
		size_t n = inspect_count_imports(m, mods.v[k]);
		if (!n)
			continue;
		fputs("  ", f);
		esc_term_file(f, mods.v[k], strlen(mods.v[k]), 100);
		fprintf(f, "%s (%zu): ", k >= INSPECT_NGROUPS ? " [other]" : "", n);
		print_import_list(f, m, mods.v[k]);
		fputc('\n', f);
	}
	strvec_release(&mods);
}

static void print_head(FILE *f, const struct inspect *in, const char *b, const char *r)
{
	const struct wasm_module *m = &in->m;
	fputs(b, f);
	esc_term_str(f, in->path);
	fprintf(f, "%s: ", r);
	if (m->component)
		fprintf(f, "component (binary version %u, layer %u), %zu bytes; %zu core module%s, %zu nested component%s\n",
			m->version, m->layer, m->size, m->ncore_modules, m->ncore_modules == 1 ? "" : "s",
			m->ncomponents, m->ncomponents == 1 ? "" : "s");
	else
		fprintf(f, "core module (version %u), %zu bytes\n", m->version, m->size);
}

static void print_features(FILE *f, const struct wasm_module *m, const char *b, const char *r)
{
	size_t nf = 0;
	for (int k = 0; k < WF__COUNT; k++)
		nf += wasm_uses(m, k);
	fprintf(f, "%sfeatures%s (%zu post-MVP)%s\n", b, r, nf, nf ? ":" : ": none (MVP only)");
	for (int k = 0; k < WF__COUNT; k++)
		if (wasm_uses(m, k))
			fprintf(f, "  %-20s %s: %zu use%s; first: %s\n", wasm_feature_name(k), wasm_feature_title(k),
				m->features[k].count, m->features[k].count == 1 ? "" : "s", m->features[k].first);
}

int inspect_text_render(const struct inspect *in, const struct inspect_opts *o, FILE *f, char **err)
{
	(void)err;
	const struct wasm_module *m = &in->m;
	const char *b = o->color ? BOLD : "", *r = o->color ? RESET : "";
	print_head(f, in, b, r);
	if (m->component) {
		print_wasi_world(f, m, b, r);
	} else {
		const char *w = inspect_wasi(m);
		if (w)
			fprintf(f, "%swasi%s: %s\n", b, r, w);
	}
	fprintf(f, "%simports%s (%zu):\n", b, r, m->nimports);
	print_imports(f, m);
	if (m->component) {
		fprintf(f, "%sexports%s (%zu):\n", b, r, m->nexports);
		print_component_externs(f, m, true);
		print_packages(f, m, b, r);
	} else {
		fprintf(f, "%sexports%s (%zu):", b, r, m->nexports);
	}
	for (size_t i = 0; i < m->nexports && !m->component; i++) {
		fputs(i ? ", " : " ", f);
		esc_term_file(f, m->exports[i].name, strlen(m->exports[i].name), 200);
		fprintf(f, " (%s %u)", wasm_extern_name(m->exports[i].kind), m->exports[i].index);
	}
	if (!m->component)
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
	print_features(f, m, b, r);
	if (m->component) {
		print_cores(f, m, b, r);
		fprintf(f, "%scode%s: %zu instructions in the core modules\n", b, r, m->ninstrs);
	} else {
		fprintf(f, "%scode%s: %zu types, %zu functions (%zu bodies, %zu instructions), %zu globals, %zu data segments%s\n",
		b, r, m->ntypes, m->nfuncs, m->ncode, m->ninstrs, m->nglobals, m->ndata,
		m->has_start ? ", start function" : "");
	}
	if (m->ncustoms) {
		fprintf(f, "%scustom sections%s:", b, r);
		for (size_t i = 0; i < m->ncustoms; i++) {
			fputs(i ? ", " : " ", f);
			esc_term_file(f, m->customs[i], strlen(m->customs[i]), 100);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
