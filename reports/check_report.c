/* check_report.c - the table of `check`'s renderers (check.h), made from the CHECK_FORMATS
 * list that the command's --help is also made from; writing a report to its file; and
 * what the renderers share (a runtime's behaviour and the module in one line). */
#define _GNU_SOURCE
#include "check.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY(n, file, what, fn) static const struct check_reporter rp_##n = { #n, file, what, fn };
CHECK_FORMATS(ENTRY)
#undef ENTRY
#define PTR(n, file, what, fn) &rp_##n,
static const struct check_reporter *const all[] = { CHECK_FORMATS(PTR) NULL };
#undef PTR

const struct check_reporter *const *check_reporter_all(void)
{
	return all;
}

const struct check_reporter *check_reporter_find(const char *name)
{
	for (size_t i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

int check_report_write(const struct check_reporter *rp, const struct check_report *cr,
		       const struct check_report_opts *o, const char *path)
{
	struct wfile wf;
	char *why = NULL, *err = NULL;
	if (wfile_open(&wf, path, &why) < 0) {
		fprintf(stderr, "wasmatrix check: %s\n", why);
		free(why);
		return -1;
	}
	if (rp->render(cr, o, wf.f, &err) < 0) {
		fprintf(stderr, "wasmatrix check: cannot write the %s report %s: %s\n", rp->name, path,
			err ? err : "write error");
		wfile_abort(&wf);
	} else if (wfile_commit(&wf, &why) < 0) {
		fprintf(stderr, "wasmatrix check: %s\n", why);
	} else if (strcmp(path, "-") && strcmp(rp->name, "text")) {
		/* the text report is the one a person reads at once: no notice for it */
		fprintf(stderr, "wasmatrix check: wrote %s\n", path);
	}
	free(why);
	free(err);
	return 0;
}

void check_describe(struct buf *b, const struct result *r, enum check_state st)
{
	switch (st) {
	case CHECK_EXITED:
		buf_addf(b, "exit %d, stdout %zu bytes, stderr %zu bytes", r->exit_code, r->outn, r->errn);
		break;
	case CHECK_TRAP:
		buf_addf(b, "trap (exit %d), stdout %zu bytes", r->exit_code, r->outn);
		break;
	default:
		buf_addf(b, "%s", check_state_name(st));
		if (r->reason)
			buf_addf(b, ": %s", r->reason);
	}
	if (r->files_digest && (st == CHECK_EXITED || st == CHECK_TRAP))
		buf_addf(b, ", files %s", r->files_digest);
}

void check_module_summary(struct buf *b, const struct wasm_module *m)
{
	buf_addf(b, "%s, %zu bytes; ", m->component ? "component" : "core module", m->size);
	if (m->component) {
		const char *w = wasm_component_wasi(m), *world = wasm_component_world(m, NULL);
		buf_addf(b, "WASI %s, world %s, %zu core module%s; ", w ? w : "none", world ? world : "unknown",
			 m->ncore_modules, m->ncore_modules == 1 ? "" : "s");
	}
	buf_addf(b, "%zu import%s", m->nimports, m->nimports == 1 ? "" : "s");
	if (!m->component) {
		size_t w = inspect_count_imports(m, "wasi_snapshot_preview1"),
		       u = inspect_count_imports(m, "wasi_unstable"), e = inspect_count_imports(m, "env");
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

size_t check_ran(const struct check_report *cr)
{
	size_t ran = 0;
	for (size_t g = 0; g < cr->ngroups; g++)
		ran += cr->groups[g].n;
	return ran;
}
