/* ctrf.c - Common Test Report Format JSON (ctrf.io, schema vendor/schemas/
 * ctrf.schema.json, spec version 0.0.0 as the reference reporters write). One test per
 * (test, runtime), named "suite/test [runtime]", suite = [runtime@version, suite].
 * Each outcome's status is in the outcome table (outcome.c): pass → passed; fail,
 * unsupported, crash, timeout, xpass → failed; skip and xfail → skipped; error (harness
 * fault) → other. rawStatus keeps our outcome. */
#define _GNU_SOURCE
#include "report.h"
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Indexed by enum outcome_ctrf */
static const char *const statuses[] = { "passed", "failed", "skipped", "pending", "other" };

static long long iso_ms(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	return (long long)timegm(&tm) * 1000;
}

/* Output as an array of its lines. */
static void lines(struct jsonw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_arr(w);
	while (s && *s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		jw_strn(w, s, n);
		s += n + (e != NULL);
	}
	jw_end_arr(w);
}

/* One test: written as it goes, in the order of the members of the CTRF test object. */
static void test_json(const struct results *rf, size_t i, struct jsonw *w)
{
	json_t *res = json_array_get(rf->results, i);
	json_t *test = json_array_get(rf->tests, rf->res_test[i]);
	enum outcome oc = rf->res_outcome[i];
	const char *rt = results_str(res, "runtime"), *ver = results_rt_version(rf, rf->res_rt[i]);
	struct buf t = BUF_INIT;
	jw_obj(w);
	buf_addf(&t, "%s [%s]", results_str(res, "test"), rt);
	jw_key(w, "name");
	jw_strn(w, t.data, t.len);
	jw_kstr(w, "status", statuses[outcome_info(oc)->ctrf]);
	jw_kint(w, "duration", (long long)(results_num(res, "duration", 0) * 1000 + 0.5));
	jw_key(w, "suite");
	jw_arr(w);
	t.len = 0;
	buf_addf(&t, *ver ? "%s@%s" : "%s", rt, ver);
	jw_strn(w, t.data, t.len);
	jw_str(w, results_str(test, "suite"));
	jw_end_arr(w);
	buf_release(&t);
	jw_kstr(w, "rawStatus", results_str(res, "outcome"));
	if (results_str(res, "reason"))
		jw_kstr(w, "message", results_str(res, "reason"));
	if (results_str(res, "diff"))
		jw_kstr(w, "trace", results_str(res, "diff"));
	if (results_str(test, "file"))
		jw_kstr(w, "filePath", results_str(test, "file"));
	if (results_int(test, "line", 0) > 0)
		jw_kint(w, "line", results_int(test, "line", 0));
	json_t *tags = json_object_get(test, "tags");
	if (json_is_array(tags) && json_array_size(tags))
		jw_kvalue(w, "tags", tags);
	if (oc != OUT_PASS && oc != OUT_SKIP) {
		lines(w, "stdout", results_str(res, "stdout"));
		lines(w, "stderr", results_str(res, "stderr"));
	}
	jw_key(w, "extra");
	jw_obj(w);
	jw_kstr(w, "runtime", rt);
	jw_kstr(w, "runtimeVersion", ver);
	jw_kstr(w, "test", results_str(res, "test"));
	if (results_str(res, "command"))
		jw_kstr(w, "command", results_str(res, "command"));
	if (json_is_object(json_object_get(res, "known")))
		jw_kvalue(w, "known", json_object_get(res, "known"));
	jw_end_obj(w);
	jw_end_obj(w);
}

/* The report is written as it goes (jsonw), never built as a tree first: the same
 * bytes as json_dumpf(JSON_INDENT(1)) of the CTRF document. */
int ctrf_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err)
{
	(void)o;
	json_t *run = json_object_get(rf->doc, "run"), *host = json_object_get(rf->doc, "host");
	long long start = iso_ms(results_str(run, "started"));
	long long stop = start + (long long)(results_num(run, "duration", 0) * 1000);
	size_t n[5] = { 0 };	/* by enum outcome_ctrf */
	for (size_t i = 0; i < rf->nresults; i++)
		n[outcome_info(rf->res_outcome[i])->ctrf]++;
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b, f, 1, false);
	jw_obj(&w);
	jw_kstr(&w, "reportFormat", "CTRF");
	jw_kstr(&w, "specVersion", "0.0.0");
	if (results_str(run, "id"))
		jw_kstr(&w, "runId", results_str(run, "id"));
	if (results_str(run, "started"))
		jw_kstr(&w, "timestamp", results_str(run, "started"));
	jw_kstr(&w, "generatedBy", "wasmatrix");
	jw_key(&w, "results");
	jw_obj(&w);
	jw_key(&w, "tool");
	jw_obj(&w);
	jw_kstr(&w, "name", "wasmatrix");
	jw_kstr(&w, "version", results_str(json_object_get(rf->doc, "tool"), "version"));
	jw_end_obj(&w);
	jw_key(&w, "summary");
	jw_obj(&w);
	jw_kint(&w, "tests", (long long)rf->nresults);
	static const char *const names[] = { "passed", "failed", "skipped", "pending", "other" };
	for (size_t k = 0; k < 5; k++)
		jw_kint(&w, names[k], (long long)n[k]);
	jw_kint(&w, "suites", (long long)rf->nsuites);
	jw_kint(&w, "start", start);
	jw_kint(&w, "stop", stop);
	jw_kint(&w, "duration", stop - start);
	jw_end_obj(&w);
	jw_key(&w, "tests");
	jw_arr(&w);
	for (size_t i = 0; i < rf->nresults; i++)
		test_json(rf, i, &w);
	jw_end_arr(&w);
	jw_key(&w, "environment");
	jw_obj(&w);
	if (results_str(host, "os"))
		jw_kstr(&w, "osPlatform", results_str(host, "os"));
	if (results_str(host, "release"))
		jw_kstr(&w, "osRelease", results_str(host, "release"));
	jw_end_obj(&w);
	jw_key(&w, "extra");
	jw_obj(&w);
	jw_kvalue(&w, "agreement", json_object_get(rf->agreement, "overall"));
	jw_end_obj(&w);
	jw_end_obj(&w);
	jw_end_obj(&w);
	buf_addc(&b, '\n');
	bool ok = jw_flush(&w);
	buf_release(&b);
	if (!ok) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
