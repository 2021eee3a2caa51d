/* inspect_json.c - `wasmatrix inspect --format json`: the static view (inspect.h) as
 * schema "wasmatrix-inspect" version 1 (docs/check.md); `check --format json` embeds the
 * same object as its "module". */
#include "inspect.h"
#include "report.h"
#include "results_write.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

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

/* Members listed in full at most once per list, beyond a few: a list that many imports
 * share (only crafted input does that) would otherwise make the view quadratic in the
 * module. The later ones name the import or export that lists them ("members_as"). */
#define MEMBERS_REPEAT_MAX 16

/* A component import's or export's interface (package, name, version) and members.
 * first[l] is the name of the first import or export shown with list l, or NULL. */
static void component_extern(json_t *j, const struct wasm_module *m, const char **first, const char *name,
			     uint32_t members)
{
	struct inspect_iface fc;
	if (inspect_iface(name, &fc))
		json_object_set_new(j, "interface", json_pack("{s:o, s:o, s:o}",
			"package", results_bytes(fc.pkg, fc.npkg), "name", results_bytes(fc.iface, fc.niface),
			"version", fc.version ? results_bytes(fc.version, strlen(fc.version)) : json_null()));
	else
		json_object_set_new(j, "interface", json_null());
	const struct wasm_members *l = wasm_members_of(m, members);
	if (!l) {
		json_object_set_new(j, "members", json_null());
		return;
	}
	if (first[members - 1] && l->n > MEMBERS_REPEAT_MAX) {
		json_object_set_new(j, "members", json_null());
		json_object_set_new(j, "members_as", results_bytes(first[members - 1], strlen(first[members - 1])));
		return;
	}
	if (!first[members - 1])
		first[members - 1] = name;
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:o, s:s}", "name", results_bytes(l->v[i].name, strlen(l->v[i].name)),
						   "kind", wasm_extern_name(l->v[i].kind)));
	json_object_set_new(j, "members", a);
}

static json_t *import_json(const struct wasm_module *m, const char **first, const struct wasm_import *im)
{
	json_t *j = json_pack("{s:o, s:s}", "name", results_bytes(im->name, strlen(im->name)), "kind",
			      wasm_extern_name(im->kind));
	if (im->kind == WX_GLOBAL)
		json_object_set_new(j, "mutable", json_boolean(im->type));
	if (m->component)
		component_extern(j, m, first, im->name, im->members);
	return j;
}

/* {"component": [...]} for a component; for a core module one array per group, then
 * "other": {module: [...]}. */
static json_t *imports_json(const struct wasm_module *m, const char **first)
{
	json_t *imp = json_object();
	if (m->component) {
		json_t *a = json_array();
		for (size_t i = 0; i < m->nimports; i++)
			json_array_append_new(a, import_json(m, first, &m->imports[i]));
		json_object_set_new(imp, "component", a);
		return imp;
	}
	for (size_t g = 0; g < INSPECT_NGROUPS; g++) {
		json_t *a = json_array();
		for (size_t i = 0; i < m->nimports; i++)
			if (!strcmp(m->imports[i].module, inspect_import_groups[g]))
				json_array_append_new(a, import_json(m, first, &m->imports[i]));
		json_object_set_new(imp, inspect_import_groups[g], a);
	}
	json_t *others = json_object();
	for (size_t i = 0; i < m->nimports; i++) {
		const struct wasm_import *im = &m->imports[i];
		if (inspect_is_group(im->module))
			continue;
		json_t *a = json_object_get(others, im->module);
		if (!a) {
			a = json_array();
			json_object_set_new(others, im->module, a);
		}
		json_array_append_new(a, import_json(m, first, im));
	}
	json_object_set_new(imp, "other", others);
	return imp;
}

/* exports, memories, tables, features, counts and custom sections */
static void add_body(json_t *j, const struct wasm_module *m, const char **first)
{
	json_t *ex = json_array();
	for (size_t i = 0; i < m->nexports; i++) {
		json_t *e = json_pack("{s:o, s:s, s:I}", "name",
				      results_bytes(m->exports[i].name, strlen(m->exports[i].name)),
				      "kind", wasm_extern_name(m->exports[i].kind), "index", (json_int_t)m->exports[i].index);
		if (m->component)
			component_extern(e, m, first, m->exports[i].name, m->exports[i].members);
		json_array_append_new(ex, e);
	}
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
}

json_t *inspect_json(const struct inspect *in)
{
	const struct wasm_module *m = &in->m;
	json_t *j = json_object();
	json_object_set_new(j, "schema", json_string("wasmatrix-inspect"));
	json_object_set_new(j, "version", json_integer(1));
	json_object_set_new(j, "path", results_bytes(in->path, strlen(in->path)));
	json_object_set_new(j, "size", json_integer((json_int_t)m->size));
	json_object_set_new(j, "kind", json_string(m->component ? "component" : "core"));
	json_object_set_new(j, "binary_version", json_integer(m->version));
	json_object_set_new(j, "layer", json_integer(m->layer));
	json_object_set_new(j, "error", in->err ? results_bytes(in->err, strlen(in->err)) : json_null());
	const char *w = inspect_wasi(m);
	json_object_set_new(j, "wasi", w ? json_string(w) : json_null());
	const char *why = NULL, *world = wasm_component_world(m, &why);
	json_object_set_new(j, "world", world ? json_pack("{s:s, s:o}", "name", world, "from",
							  results_bytes(why, strlen(why))) : json_null());
	const char **first = xcalloc(m->nlists + 1, sizeof *first);
	json_object_set_new(j, "imports", imports_json(m, first));
	add_body(j, m, first);
	free(first);
	if (m->component) {
		json_t *cores = json_array();
		for (size_t i = 0; i < m->ncores; i++) {
			const struct wasm_module *c = &m->cores[i];
			const char *cw = c->where ? c->where : "";
			json_t *cj = json_pack("{s:o, s:I}", "where", results_bytes(cw, strlen(cw)), "size",
					       (json_int_t)c->size);
			const char **cf = xcalloc(c->nlists + 1, sizeof *cf);
			json_object_set_new(cj, "imports", imports_json(c, cf));
			add_body(cj, c, cf);
			free(cf);
			json_array_append_new(cores, cj);
		}
		json_object_set_new(j, "core_modules", cores);
	}
	return j;
}

int inspect_json_render(const struct inspect *in, const struct inspect_opts *o, FILE *f, char **err)
{
	(void)o;
	json_t *j = inspect_json(in);
	return report_json_out(j, f, err);
}
