/* inspect.h - the static view of a module (`wasmatrix inspect`, and the "module" part of
 * `wasmatrix check`): the file read and parsed by wasm.h, kept with its path and where
 * parsing stopped. struct inspect is the model; the renderers in reports/ (inspect_text.c,
 * inspect_json.c, chosen from the one table in reports/inspect_report.c) only read it and
 * own nothing, like the results reporters of report.h. inspect_release() frees it. */
#ifndef WM_INSPECT_H
#define WM_INSPECT_H

#include "wasm.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

struct inspect {
	const char *path;	/* as given; borrowed */
	struct wasm_module m;	/* owned */
	char *err;		/* where parsing stopped past the header, or NULL; owned */
};

/* Reads and parses the module at path. Returns 0 when read fully, 1 when read with an
 * error past the header (in->m holds what came before, in->err says where), -1 when
 * unreadable or not WebAssembly (printed as "wasmatrix CMD: ..."; in is then empty). */
int inspect_load(struct inspect *in, const char *path, const char *cmd);
void inspect_release(struct inspect *in);

/* The import modules shown on their own, in this order; every other is "other". */
#define INSPECT_NGROUPS 3
extern const char *const inspect_import_groups[INSPECT_NGROUPS];
bool inspect_is_group(const char *module);
size_t inspect_count_imports(const struct wasm_module *m, const char *module);

/* A component import or export name "ns:pkg/iface@version" in parts (pointers into the
 * name; lengths, as the parts are not terminated). */
struct inspect_iface {
	const char *pkg, *iface, *version;	/* "ns:pkg", "iface", "0.2.12" or NULL */
	size_t npkg, niface;
};
/* True when name is an interface name (a ':' before a '/'), filling *f. */
bool inspect_iface(const char *name, struct inspect_iface *f);

/* The WASI version of the module: for a component "0.2" / "0.3" (wasm_component_wasi),
 * for a core module "preview1" (imports wasi_snapshot_preview1) or "preview0"
 * (wasi_unstable); NULL when neither. */
const char *inspect_wasi(const struct wasm_module *m);

/* ---- the renderers (reports/) ---- */

struct inspect_opts {
	bool color;		/* text: ANSI bold for headings */
};

/* Same shape as struct reporter (report.h), over struct inspect. */
struct inspect_reporter {
	const char *name;	/* the --format name */
	const char *file;	/* a file name for it */
	const char *what;	/* one line for --help */
	/* MUST: writes the whole view to f. Returns 0, or -1 with a message in *err. */
	int (*render)(const struct inspect *in, const struct inspect_opts *o, FILE *f, char **err);
};

/* The formats, in --help order (name, file, what, render); the first is the default.
 * The table in reports/inspect_report.c and the help of `inspect` are both made from it. */
#define INSPECT_FORMATS(X) \
	X(text, "inspect.txt", "for people", inspect_text_render) \
	X(json, "inspect.json", "schema wasmatrix-inspect, version 1", inspect_json_render)

/* The reporter named 'name', or NULL; every reporter, NULL-terminated. */
const struct inspect_reporter *inspect_reporter_find(const char *name);
const struct inspect_reporter *const *inspect_reporter_all(void);

int inspect_text_render(const struct inspect *in, const struct inspect_opts *o, FILE *f, char **err);
int inspect_json_render(const struct inspect *in, const struct inspect_opts *o, FILE *f, char **err);
/* The JSON object of the view (also `check`'s "module"); the caller decrefs it. */
json_t *inspect_json(const struct inspect *in);

#endif
