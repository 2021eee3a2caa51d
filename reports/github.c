/* github.c - GitHub Actions output beside the Markdown report (report.h): with
 * GITHUB_ACTIONS=true the Markdown summary is appended to $GITHUB_STEP_SUMMARY (kept under
 * GitHub's 1 MiB limit, cut at a line with a note) and at most 10 unexpected results
 * become ::error annotations on the test's line in its suite file, plus one ::notice for
 * the rest (GitHub shows only 10 error annotations per step). The annotations go to the
 * job log, never into a report file: report_write picks the stream. */
#define _GNU_SOURCE
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STEP_SUMMARY_LIMIT (1024 * 1024)
#define MAX_ANNOTATIONS 10

int report_github(const struct results *rf, const struct report_opts *o, FILE *annotations, char **err)
{
	if (o->step_summary && *o->step_summary) {
		struct buf b = BUF_INIT;
		md_summary(rf, &b);
		struct stat st;
		size_t have = stat(o->step_summary, &st) == 0 ? (size_t)st.st_size : 0;
		static const char note[] = "\n\n_Summary cut here to stay under GitHub's 1 MiB step summary "
					   "limit; see the HTML report for everything._\n";
		size_t room = have + 2 < STEP_SUMMARY_LIMIT ? STEP_SUMMARY_LIMIT - have - 2 : 0;
		if (b.len + 1 > room) {
			size_t cut = room > sizeof note + 1 ? room - sizeof note - 1 : 0;
			while (cut && b.data[cut - 1] != '\n')
				cut--;
			b.len = cut;
			if (cut)
				buf_adds(&b, note);
		}
		FILE *f = b.len ? fopen(o->step_summary, "a") : NULL;
		if (b.len && (!f || fwrite(b.data, 1, b.len, f) != b.len || fputc('\n', f) == EOF)) {
			*err = xasprintf("cannot append to GITHUB_STEP_SUMMARY %s", o->step_summary);
			if (f)
				fclose(f);
			buf_release(&b);
			return -1;
		}
		if (f)
			fclose(f);
		buf_release(&b);
	}
	FILE *a = annotations;
	const char *ws = getenv("GITHUB_WORKSPACE");
	size_t n = 0, total = 0;
	for (size_t i = 0; i < rf->nresults; i++) {
		json_t *res = json_array_get(rf->results, i);
		enum outcome oc = rf->res_outcome[i];
		if (!outcome_unexpected(oc))
			continue;
		total++;
		if (n == MAX_ANNOTATIONS)
			continue;
		n++;
		json_t *test = json_array_get(rf->tests, rf->res_test[i]);
		const char *file = results_str(test, "file");
		size_t wl = ws ? strlen(ws) : 0;
		if (file && wl && !strncmp(file, ws, wl) && file[wl] == '/')
			file += wl + 1;
		struct buf b = BUF_INIT;
		buf_adds(&b, "::error ");
		if (file) {
			buf_adds(&b, "file=");
			esc_gh(&b, file, true);
			buf_addf(&b, ",line=%lld,", results_int(test, "line", 1) > 0 ? results_int(test, "line", 1) : 1);
		}
		char *title = xasprintf("%s on %s: %s", results_str(res, "test"), results_str(res, "runtime"),
					outcome_name(oc));
		buf_adds(&b, "title=");
		esc_gh(&b, title, true);
		free(title);
		buf_adds(&b, "::");
		esc_gh(&b, results_str(res, "reason") ? results_str(res, "reason") : outcome_name(oc), false);
		fprintf(a, "%s\n", b.data);
		buf_release(&b);
	}
	if (total > n)
		fprintf(a, "::notice title=wasmatrix::%zu more unexpected results were not annotated "
			   "(at most %d); see the step summary\n", total - n, MAX_ANNOTATIONS);
	fflush(a);
	return 0;
}

