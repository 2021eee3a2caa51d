/* features_report.c - the table of `features`' renderers (features.h), made from the
 * FEATURES_FORMATS list that the command's --help is also made from. */
#include "featmatrix.h"

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
