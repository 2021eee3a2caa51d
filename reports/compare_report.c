/* compare_report.c - the table of `compare`'s formats (compare.h), read by --format and
 * --help alike; the renderers are compare_md.c and compare_html.c. */
#include "compare.h"

#include <string.h>

static const struct compare_reporter cr_md = { "md", "compare.md",
	"Markdown: one table per section (regressions first)", compare_md_render };
static const struct compare_reporter cr_html = { "html", "compare.html",
	"self-contained HTML page, the same sections", compare_html_render };

static const struct compare_reporter *const all[] = { &cr_md, &cr_html, NULL };

const struct compare_reporter *const *compare_reporter_all(void)
{
	return all;
}

const struct compare_reporter *compare_reporter_find(const char *name)
{
	for (size_t i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
