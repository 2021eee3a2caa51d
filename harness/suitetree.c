/* suitetree.c - see suitetree.h. */
#define _GNU_SOURCE
#include "suitetree.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *suitetree_root(const char *dir)
{
	char *d = xstrdup(dir);
	for (;;) {
		char *m = path_join(d, SUITETREE_ROOT_MARKER);
		struct stat st;
		bool found = lstat(m, &st) == 0 && S_ISREG(st.st_mode);
		free(m);
		if (found)
			return d;
		char *slash = strrchr(d, '/');
		if (!slash || slash == d || !strcmp(d, "/"))
			break;
		*slash = 0;
	}
	free(d);
	return xstrdup(dir);
}

/* Whether the canonical path 'p' is 'root' or below it, component-wise. */
static bool canon_inside(const char *root, const char *p)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return p[0] == '/';
	return !strncmp(root, p, n) && (p[n] == '/' || p[n] == 0);
}

int suitetree_resolve(const char *root, const char *base, const char *rel, char **out, char **why)
{
	*out = NULL;
	*why = NULL;
	if (rel[0] == '/') {
		*why = xasprintf("'%s' is an absolute path: suite paths are relative to the suite and stay in "
				 "its tree (%s)", rel, root);
		return -1;
	}
	char *p = path_join(base, rel);
	char *r = realpath(p, NULL);
	int e = errno;
	free(p);
	if (!r) {
		errno = e;
		return -2;
	}
	if (!canon_inside(root, r)) {
		*why = xasprintf("'%s' resolves to '%s', outside the suite's tree (%s)", rel, r, root);
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}
