/* inspect_text.c - `wasmatrix inspect --format text`: the static view (inspect.h) for
 * people; names from the module are made visible (escape.h) and cut at 100-200 bytes. */
#include "escape.h"
#include "inspect.h"

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

/* Core modules: one line per import module, the groups first, then the others in the
 * order they are first imported. */
static void print_imports(FILE *f, const struct wasm_module *m)
{
	if (m->component) {
		for (size_t i = 0; i < m->nimports; i++) {
			fputs("  ", f);
			esc_term_file(f, m->imports[i].name, strlen(m->imports[i].name), 200);
			fprintf(f, " (%s)\n", wasm_extern_name(m->imports[i].kind));
		}
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
	fprintf(f, "%simports%s (%zu):\n", b, r, m->nimports);
	print_imports(f, m);
	fprintf(f, "%sexports%s (%zu):", b, r, m->nexports);
	for (size_t i = 0; i < m->nexports; i++) {
		fputs(i ? ", " : " ", f);
		esc_term_file(f, m->exports[i].name, strlen(m->exports[i].name), 200);
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
	print_features(f, m, b, r);
	fprintf(f, "%scode%s: %zu types, %zu functions (%zu bodies, %zu instructions), %zu globals, %zu data segments%s\n",
		b, r, m->ntypes, m->nfuncs, m->ncode, m->ninstrs, m->nglobals, m->ndata,
		m->has_start ? ", start function" : "");
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
