/* report.c - the reporter table, atomic report files and the shared counting helpers (see
 * report.h; the escapers are in escape.c). */
#define _GNU_SOURCE
#include "report.h"
#include "jsonw.h"
#include "results_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int render_results_json(const struct results *rf, const struct report_opts *o, FILE *f, char **err)
{
	(void)o;
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b, f, 1, false);
	json_t *doc = results_for_file(rf->doc);	/* version 2: the shared strings again */
	jw_value(&w, doc);
	json_decref(doc);
	buf_addc(&b, '\n');
	bool ok = jw_flush(&w);
	buf_release(&b);
	if (!ok) {
		*err = xstrdup("cannot write JSON");
		return -1;
	}
	return 0;
}

static const struct reporter rp_html = { "html", "report.html",
	"self-contained HTML matrix (suites x runtimes, details, filters)", html_render, false };
static const struct reporter rp_junit = { "junit", "junit.xml",
	"JUnit XML (Jenkins xunit schema; classname = runtime.suite)", junit_render, false };
static const struct reporter rp_md = { "md", "summary.md",
	"Markdown summary (GitHub step summary and annotations when GITHUB_ACTIONS=true)", md_render, true };
static const struct reporter rp_tap = { "tap", "results.tap", "TAP version 14", tap_render, false };
static const struct reporter rp_ctrf = { "ctrf", "ctrf.json", "CTRF JSON (Common Test Report Format)",
	ctrf_render, false };
static const struct reporter rp_json = { "json", "results.json", "the results JSON itself (validated)",
	render_results_json, false };

static const struct reporter *const all[] = { &rp_html, &rp_junit, &rp_md, &rp_tap, &rp_ctrf, &rp_json, NULL };

const struct reporter *const *report_all(void)
{
	return all;
}

const struct reporter *report_find(const char *name)
{
	for (size_t i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

int report_write(const struct reporter *rp, const struct results *rf, const struct report_opts *o,
		 const char *path)
{
	char *err = NULL, *why = NULL;
	struct wfile w;
	if (wfile_open(&w, path, &why) < 0) {
		fprintf(stderr, "wasmatrix: %s report: %s\n", rp->name, why);
		free(why);
		return -1;
	}
	int rc = rp->render(rf, o, w.f, &err);
	if (rc < 0) {
		fprintf(stderr, "wasmatrix: cannot write %s report %s: %s\n", rp->name, path, err ? err : "failed");
		wfile_abort(&w);
	} else if (wfile_commit(&w, &why) < 0) {
		fprintf(stderr, "wasmatrix: %s report: %s\n", rp->name, why);
		rc = -1;
	} else if (rp->github && o && o->github) {
		FILE *a = !strcmp(path, "-") ? stderr : o->annotations ? o->annotations : stdout;
		if ((rc = report_github(rf, o, a, &err)) < 0)
			fprintf(stderr, "wasmatrix: %s report: %s\n", rp->name, err ? err : "GitHub output failed");
	}
	free(why);
	free(err);
	return rc;
}

void report_json_script(struct buf *b, const json_t *j)
{
	struct jsonw w;
	jw_init(&w, b, NULL, 0, true);
	jw_value(&w, j);
}

void report_count_runtime(const struct results *rf, size_t r, struct report_count *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < rf->nresults; i++) {
		if (rf->res_rt[i] != r)
			continue;
		enum outcome o = rf->res_outcome[i];
		c->counts[o]++;
		c->total += o != OUT_SKIP;
		c->pass += o == OUT_PASS;
		c->unexpected += outcome_unexpected(o);
	}
}

void report_count_runtime_wasi(const struct results *rf, size_t r, const char *wasi, struct report_count *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < rf->nresults; i++) {
		if (rf->res_rt[i] != r || strcmp(results_test_wasi(rf, rf->res_test[i]), wasi))
			continue;
		enum outcome o = rf->res_outcome[i];
		c->counts[o]++;
		c->total += o != OUT_SKIP;
		c->pass += o == OUT_PASS;
		c->unexpected += outcome_unexpected(o);
	}
}

static int wasi_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t nx = strlen(x), ny = strlen(y);	/* wasm32-wasip10 after wasm32-wasip9 */
	return nx != ny ? (nx < ny ? -1 : 1) : strcmp(x, y);
}

size_t report_wasi_versions(const struct results *rf, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t t = 0; t < rf->ntests; t++) {
		const char *w = results_test_wasi(rf, t);
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(out[k], w);
		if (!seen && n < max)
			out[n++] = w;
	}
	qsort(out, n, sizeof *out, wasi_cmp);
	return n;
}

bool report_wasi_shown(const struct results *rf)
{
	for (size_t t = 0; t < rf->ntests; t++)
		if (strcmp(results_test_wasi(rf, t), "wasm32-wasip1"))
			return true;
	return false;
}

const char *report_wasi_label(const char *wasi)
{
	if (!strcmp(wasi, "wasm32-wasip1"))
		return "p1 (core module)";
	if (!strcmp(wasi, "wasm32-wasip2"))
		return "p2 (component)";
	if (!strcmp(wasi, "wasm32-wasip3"))
		return "p3 (component)";
	return wasi;
}

void report_count_run(const struct results *rf, size_t *available, size_t *unexpected)
{
	*available = *unexpected = 0;
	for (size_t r = 0; r < rf->nrts; r++)
		*available += results_rt_available(rf, r);
	for (size_t i = 0; i < rf->nresults; i++)
		*unexpected += outcome_unexpected(rf->res_outcome[i]);
}

int report_json_out(json_t *j, FILE *f, char **err)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s) {
		*err = xstrdup("cannot encode the JSON");
		return -1;
	}
	fprintf(f, "%s\n", s);
	free(s);
	return ferror(f) ? -1 : 0;
}
