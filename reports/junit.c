/* junit.c - JUnit XML as the Jenkins xunit schema (junit-10.xsd) defines it, which
 * GitLab reads too. One <testsuite> per (runtime, suite), named and classnamed
 * "runtime.suite", with the WASI version of its tests as the property "wasi"; a suite
 * whose tests are of several versions gives one per version, "runtime.suite.wasip2". Each outcome's element is in the outcome table (outcome.c,
 * docs/reports.md): fail, unsupported, timeout, xpass → <failure>; crash (the runtime
 * died) and error (the harness could not run it) → <error>; skip and xfail → <skipped>.
 * Output of non-passing results goes in CDATA with XML-illegal characters dropped;
 * times are plain decimal seconds. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Indexed by enum outcome_junit */
static const char *const elements[] = { NULL, "failure", "error", "skipped" };

static void attr(struct buf *b, const char *name, const char *v)
{
	buf_addf(b, " %s=\"", name);
	if (v)
		esc_xml_text(b, v, strlen(v));
	buf_addc(b, '"');
}

static void secs(struct buf *b, const char *name, double s)
{
	buf_addf(b, " %s=\"%.3f\"", name, s < 0 ? 0.0 : s);
}

static void body(struct buf *b, const json_t *res)
{
	const char *reason = results_str(res, "reason"), *diff = results_str(res, "diff"),
		   *cmd = results_str(res, "command");
	json_t *known = json_object_get(res, "known");
	struct buf t = BUF_INIT;
	buf_adds(&t, "");
	if (reason)
		buf_addf(&t, "%s\n", reason);
	if (diff)
		buf_addf(&t, "\n%s\n", diff);
	if (json_is_object(known))
		buf_addf(&t, "\nknown divergence: %s%s%s\n", results_str(known, "reason") ? results_str(known, "reason") : "",
			 results_str(known, "link") ? " " : "", results_str(known, "link") ? results_str(known, "link") : "");
	if (cmd)
		buf_addf(&t, "\ncommand: %s\n", cmd);
	esc_xml_cdata(b, t.data, t.len);
	buf_release(&t);
}

static void stream(struct buf *b, const char *tag, const json_t *res, const char *key)
{
	json_t *s = json_object_get(res, key);
	if (!json_is_string(s) || !json_string_length(s))
		return;
	buf_addf(b, "      <%s>", tag);
	esc_xml_cdata(b, json_string_value(s), json_string_length(s));
	buf_addf(b, "</%s>\n", tag);
}

int junit_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err)
{
	(void)o;
	(void)err;
	size_t tot[4] = { 0 };	/* tests, failures, errors, skipped */
	double ttime = 0;
	for (size_t i = 0; i < rf->nresults; i++) {
		json_t *res = json_array_get(rf->results, i);
		enum outcome_junit j = outcome_info(rf->res_outcome[i])->junit;
		tot[0]++;
		if (j != OUTCOME_JUNIT_NONE)
			tot[j]++;
		ttime += results_num(res, "duration", 0);
	}
	struct buf b = BUF_INIT;
	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(&b, "name", "wasmatrix");
	buf_addf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", tot[0], tot[1], tot[2]);
	secs(&b, "time", ttime);
	buf_adds(&b, ">\n");
	/* the WASI versions (a property of each testsuite), and the suites that mix them */
	const char *v[REPORT_MAX_WASI];
	size_t nv = report_wasi_versions(rf, v, REPORT_MAX_WASI);
	bool *mixed = xcalloc(rf->nsuites + 1, sizeof *mixed);
	const char **first = xcalloc(rf->nsuites + 1, sizeof *first);
	for (size_t t = 0; t < rf->ntests; t++) {
		size_t s = rf->test_suite[t];
		const char *w = results_test_wasi(rf, t);
		if (!first[s])
			first[s] = w;
		else if (strcmp(first[s], w))
			mixed[s] = true;
	}
	free(first);
	const char *started = results_str(json_object_get(rf->doc, "run"), "started");
	const char *host = results_str(json_object_get(rf->doc, "host"), "hostname");
	for (size_t r = 0; r < rf->nrts; r++) {
		json_t *rt = json_array_get(rf->runtimes, r);
		const char *rname = results_str(rt, "name");
		for (size_t s = 0; s < rf->nsuites; s++)
		for (size_t k = 0; k < nv; k++) {
			const char *sname = results_str(json_array_get(rf->suites, s), "name");
			size_t c[4] = { 0 };
			double st = 0;
			for (size_t t = 0; t < rf->ntests; t++) {
				json_t *res = rf->cells[t * rf->nrts + r];
				if (!res || rf->test_suite[t] != s || strcmp(results_test_wasi(rf, t), v[k]))
					continue;
				enum outcome_junit j = outcome_info(results_outcome(res))->junit;
				c[0]++;
				if (j != OUTCOME_JUNIT_NONE)
					c[j]++;
				st += results_num(res, "duration", 0);
			}
			if (!c[0])
				continue;
			/* a suite of one WASI version keeps its name; one of several is split by version */
			char *cls = mixed[s] ? xasprintf("%s.%s.%s", rname, sname, v[k] + 7) : xasprintf("%s.%s", rname, sname);
			buf_adds(&b, "  <testsuite");
			attr(&b, "name", cls);
			buf_addf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", c[0], c[1], c[2], c[3]);
			secs(&b, "time", st);
			if (started)
				attr(&b, "timestamp", started);
			if (host)
				attr(&b, "hostname", host);
			buf_adds(&b, ">\n    <properties>\n      <property name=\"runtime\"");
			attr(&b, "value", rname);
			buf_adds(&b, "/>\n      <property name=\"runtime.version\"");
			attr(&b, "value", results_rt_version(rf, r));
			buf_adds(&b, "/>\n      <property name=\"wasi\"");
			attr(&b, "value", v[k]);
			buf_adds(&b, "/>\n    </properties>\n");
			for (size_t t = 0; t < rf->ntests; t++) {
				json_t *res = rf->cells[t * rf->nrts + r];
				if (!res || rf->test_suite[t] != s || strcmp(results_test_wasi(rf, t), v[k]))
					continue;
				json_t *test = json_array_get(rf->tests, t);
				const char *oname = results_str(res, "outcome");
				enum outcome oc = results_outcome(res);
				const char *reason = results_str(res, "reason");
				buf_adds(&b, "    <testcase");
				attr(&b, "name", results_str(test, "name"));
				attr(&b, "classname", cls);
				secs(&b, "time", results_num(res, "duration", 0));
				const char *tag = elements[outcome_info(oc)->junit];
				if (!tag) {
					buf_adds(&b, "/>\n");
					continue;
				}
				buf_adds(&b, ">\n");
				buf_addf(&b, "      <%s", tag);
				attr(&b, "type", oname);
				char *msg = oc == OUT_XFAIL ? xasprintf("expected failure: %s", reason ? reason : "") :
					    xasprintf("%s: %s", oname, reason ? reason : oname);
				attr(&b, "message", msg);
				free(msg);
				buf_adds(&b, ">");
				body(&b, res);
				buf_addf(&b, "</%s>\n", tag);
				if (oc != OUT_SKIP) {
					stream(&b, "system-out", res, "stdout");
					stream(&b, "system-err", res, "stderr");
				}
				buf_adds(&b, "    </testcase>\n");
			}
			buf_adds(&b, "  </testsuite>\n");
			free(cls);
			fwrite(b.data, 1, b.len, f);
			b.len = 0;
		}
	}
	free(mixed);
	buf_adds(&b, "</testsuites>\n");
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	return ferror(f) ? -1 : 0;
}
