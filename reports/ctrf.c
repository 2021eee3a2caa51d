/* ctrf.c - Common Test Report Format JSON (ctrf.io, schema vendor/schemas/
 * ctrf.schema.json, spec version 0.0.0 as the reference reporters write). One test per
 * (test, runtime), named "suite/test [runtime]", suite = [runtime@version, suite].
 * Each outcome's status is in the outcome table (outcome.c): pass → passed; fail,
 * unsupported, crash, timeout, xpass → failed; skip and xfail → skipped; error (harness
 * fault) → other. rawStatus keeps our outcome. */
#define _GNU_SOURCE
#include "report.h"

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

static json_t *lines(const char *s)
{
	json_t *a = json_array();
	while (s && *s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		json_array_append_new(a, json_stringn(s, n));
		s += n + (e != NULL);
	}
	return a;
}

int ctrf_render(const struct resfile *rf, const struct report_opts *o, FILE *f, char **err)
{
	(void)o;
	json_t *run = json_object_get(rf->doc, "run"), *host = json_object_get(rf->doc, "host");
	long long start = iso_ms(resfile_str(run, "started"));
	long long stop = start + (long long)(resfile_num(run, "duration", 0) * 1000);
	size_t n[5] = { 0 };	/* by enum outcome_ctrf */
	json_t *tests = json_array();
	for (size_t i = 0; i < rf->nresults; i++) {
		json_t *res = json_array_get(rf->results, i);
		json_t *test = json_array_get(rf->tests, rf->res_test[i]);
		enum outcome oc = rf->res_outcome[i];
		enum outcome_ctrf cs = outcome_info(oc)->ctrf;
		const char *st = statuses[cs];
		n[cs]++;
		const char *rt = resfile_str(res, "runtime"), *ver = resfile_rt_version(rf, rf->res_rt[i]);
		char *name = xasprintf("%s [%s]", resfile_str(res, "test"), rt);
		char *rtl = *ver ? xasprintf("%s@%s", rt, ver) : xstrdup(rt);
		json_t *t = json_object();
		json_object_set_new(t, "name", json_string(name));
		json_object_set_new(t, "status", json_string(st));
		json_object_set_new(t, "duration", json_integer((json_int_t)(resfile_num(res, "duration", 0) * 1000 + 0.5)));
		json_object_set_new(t, "suite", json_pack("[s,s]", rtl, resfile_str(test, "suite")));
		json_object_set_new(t, "rawStatus", json_string(resfile_str(res, "outcome")));
		if (resfile_str(res, "reason"))
			json_object_set_new(t, "message", json_string(resfile_str(res, "reason")));
		if (resfile_str(res, "diff"))
			json_object_set_new(t, "trace", json_string(resfile_str(res, "diff")));
		if (resfile_str(test, "file"))
			json_object_set_new(t, "filePath", json_string(resfile_str(test, "file")));
		if (resfile_int(test, "line", 0) > 0)
			json_object_set_new(t, "line", json_integer(resfile_int(test, "line", 0)));
		json_t *tags = json_object_get(test, "tags");
		if (json_is_array(tags) && json_array_size(tags))
			json_object_set(t, "tags", tags);
		if (oc != OUT_PASS && oc != OUT_SKIP) {
			json_object_set_new(t, "stdout", lines(resfile_str(res, "stdout")));
			json_object_set_new(t, "stderr", lines(resfile_str(res, "stderr")));
		}
		json_t *extra = json_object();
		json_object_set_new(extra, "runtime", json_string(rt));
		json_object_set_new(extra, "runtimeVersion", json_string(ver));
		json_object_set_new(extra, "test", json_string(resfile_str(res, "test")));
		if (resfile_str(res, "command"))
			json_object_set_new(extra, "command", json_string(resfile_str(res, "command")));
		if (json_is_object(json_object_get(res, "known")))
			json_object_set(extra, "known", json_object_get(res, "known"));
		json_object_set_new(t, "extra", extra);
		json_array_append_new(tests, t);
		free(name);
		free(rtl);
	}
	json_t *summary = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "tests",
				    (json_int_t)rf->nresults, "passed", (json_int_t)n[0], "failed", (json_int_t)n[1],
				    "skipped", (json_int_t)n[2], "pending", (json_int_t)n[3], "other", (json_int_t)n[4],
				    "suites", (json_int_t)rf->nsuites, "start", (json_int_t)start, "stop",
				    (json_int_t)stop, "duration", (json_int_t)(stop - start));
	json_t *tool = json_pack("{s:s, s:s}", "name", "wasmatrix", "version",
				 resfile_str(json_object_get(rf->doc, "tool"), "version"));
	json_t *env = json_object();
	if (resfile_str(host, "os"))
		json_object_set_new(env, "osPlatform", json_string(resfile_str(host, "os")));
	if (resfile_str(host, "release"))
		json_object_set_new(env, "osRelease", json_string(resfile_str(host, "release")));
	json_t *agree = json_object_get(rf->agreement, "overall");
	json_t *results = json_pack("{s:o, s:o, s:o, s:o, s:{s:O}}", "tool", tool, "summary", summary, "tests", tests,
				    "environment", env, "extra", "agreement", agree ? agree : json_null());
	json_t *doc = json_object();
	json_object_set_new(doc, "reportFormat", json_string("CTRF"));
	json_object_set_new(doc, "specVersion", json_string("0.0.0"));
	if (resfile_str(run, "id"))
		json_object_set_new(doc, "runId", json_string(resfile_str(run, "id")));
	if (resfile_str(run, "started"))
		json_object_set_new(doc, "timestamp", json_string(resfile_str(run, "started")));
	json_object_set_new(doc, "generatedBy", json_string("wasmatrix"));
	json_object_set_new(doc, "results", results);
	int rc = json_dumpf(doc, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(doc);
	if (rc < 0 || ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
