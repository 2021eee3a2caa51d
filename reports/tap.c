/* tap.c - TAP version 14 (testanything.org/tap-version-14-specification.html): one test
 * point per (test, runtime), in the results' order, described "runtime suite/test".
 * Each outcome's kind of point is in the outcome table (outcome.c): skip → "ok # SKIP
 * reason"; xfail → "not ok # TODO reason" (a known failure, not counted as one); every
 * unexpected outcome, xpass included, is a plain "not ok". Non-passing points carry a
 * YAML diagnostic block (outcome, reason, diff, command). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Indexed by enum outcome_tap */
static const struct point {
	const char *status, *directive;
} points[] = { { "ok", NULL }, { "not ok", NULL }, { "ok", " # SKIP " }, { "not ok", " # TODO " } };

/* Description and directive text: '#' and '\' escaped, line breaks flattened. */
static void esc(struct buf *b, const char *text)
{
	char *vis = text_visible_str(text, true);	/* no escape sequences into a terminal */
	for (const char *s = vis; *s; s++) {
		if (*s == '#' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s == '\n' || *s == '\t' ? ' ' : *s);
	}
	free(vis);
}

/* A YAML block scalar, indented under the diagnostic's key. */
static void yblock(struct buf *b, const char *key, const char *s)
{
	if (!s)
		return;
	buf_addf(b, "  %s: |-\n", key);
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		buf_adds(b, "    ");
		text_visible(b, p, n, true);
		buf_addc(b, '\n');
		p += n + (e != NULL);
	}
	if (!*s)
		buf_adds(b, "    \n");
}

static void yquoted(struct buf *b, const char *key, const char *text)
{
	char *vis = text_visible_str(text, false);
	buf_addf(b, "  %s: \"", key);
	for (const char *s = vis; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_adds(b, "\"\n");
	free(vis);
}

int tap_render(const struct results *rf, const struct report_opts *o, FILE *f, char **err)
{
	(void)o;
	struct buf b = BUF_INIT;
	buf_addf(&b, "TAP version 14\n1..%zu\n", rf->nresults);
	for (size_t i = 0; i < rf->nresults; i++) {
		json_t *res = json_array_get(rf->results, i);
		const char *reason = results_str(res, "reason");
		enum outcome oc = rf->res_outcome[i];
		const char *oname = outcome_name(oc);
		const struct point *pt = &points[outcome_info(oc)->tap];
		buf_addf(&b, "%s %zu - ", pt->status, i + 1);
		esc(&b, results_str(res, "runtime"));
		buf_addc(&b, ' ');
		esc(&b, results_str(res, "test"));
		if (pt->directive) {
			buf_adds(&b, pt->directive);
			esc(&b, reason ? reason : oname);
		}
		buf_addc(&b, '\n');
		if (oc != OUT_PASS && oc != OUT_SKIP) {
			json_t *test = json_array_get(rf->tests, rf->res_test[i]);
			buf_adds(&b, "  ---\n");
			yquoted(&b, "outcome", oname);
			yquoted(&b, "message", reason ? reason : oname);
			yquoted(&b, "runtime", results_rt_version(rf, rf->res_rt[i])[0] ?
					       results_rt_version(rf, rf->res_rt[i]) : results_str(res, "runtime"));
			if (results_str(test, "file")) {
				yquoted(&b, "file", results_str(test, "file"));
				buf_addf(&b, "  line: %lld\n", results_int(test, "line", 0));
			}
			buf_addf(&b, "  duration_ms: %.0f\n", results_num(res, "duration", 0) * 1000);
			yblock(&b, "diff", results_str(res, "diff"));
			if (results_str(res, "command"))
				yquoted(&b, "command", results_str(res, "command"));
			buf_adds(&b, "  ...\n");
		}
		if (b.len > 1 << 16) {
			fwrite(b.data, 1, b.len, f);
			b.len = 0;
		}
	}
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	if (ferror(f)) {
		*err = xstrdup("write error");
		return -1;
	}
	return 0;
}
