/* features_report.c - the table of `features`' renderers (features.h), made from the
 * FEATURES_FORMATS list that the command's --help is also made from. */
#include "featmatrix.h"
#include "report.h"

#include <string.h>

#define ENTRY(n, file, what, fn) static const struct features_reporter rp_##n = { #n, file, what, fn };
FEATURES_FORMATS(ENTRY)
#undef ENTRY
#define PTR(n, file, what, fn) &rp_##n,
static const struct features_reporter *const all[] = { FEATURES_FORMATS(PTR) NULL };
#undef PTR

const struct features_reporter *const *features_reporter_all(void)
{
	return all;
}

const struct features_reporter *features_reporter_find(const char *name)
{
	for (size_t i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

int report_featmatrix(const struct results *rf, const struct report_opts *o, struct featmatrix *fm, char **err)
{
	if (!featmatrix_any(rf))
		return 0;
	struct diag d = DIAG_INIT;
	int rc = featmatrix_build(fm, rf, o ? o->claims : NULL, &d);
	diag_print(&d, stderr, false);
	diag_release(&d);
	if (rc == 0)
		return 1;
	featmatrix_release(fm);
	*err = xasprintf("the claims table %s is not valid (above)", o->claims);
	return -1;
}
