/* inspect_report.c - the table of `inspect`'s renderers (inspect.h), made from the
 * INSPECT_FORMATS list that the command's --help is also made from. */
#include "inspect.h"

#include <string.h>

#define ENTRY(n, file, what, fn) static const struct inspect_reporter rp_##n = { #n, file, what, fn };
INSPECT_FORMATS(ENTRY)
#undef ENTRY
#define PTR(n, file, what, fn) &rp_##n,
static const struct inspect_reporter *const all[] = { INSPECT_FORMATS(PTR) NULL };
#undef PTR

const struct inspect_reporter *const *inspect_reporter_all(void)
{
	return all;
}

const struct inspect_reporter *inspect_reporter_find(const char *name)
{
	for (size_t i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
