/* guestpath.c - see guestpath.h. */
#include "guestpath.h"

#include <string.h>

const char *guestpath_invalid(const char *g)
{
	if (!*g)
		return "is empty";
	for (const char *p = g; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	if (!strcmp(g, "/") || !strcmp(g, "."))
		return NULL;
	const char *p = g + (*g == '/');
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 0)
			return "has an empty component ('//')";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "has a '..' component";
		/* '.' components and one trailing '/' stay: they name the same directory, and
		 * how a runtime presents such a name to the guest is worth a test */
		p += n;
		if (!*p || !p[1])
			return NULL;
		p++;
	}
}

/* The next component of *p (skipping '/' and '.'), its length in *n; NULL at the end. */
static const char *next_comp(const char **p, size_t *n)
{
	for (;;) {
		while (**p == '/')
			(*p)++;
		if (!**p)
			return NULL;
		const char *c = *p;
		*n = strcspn(c, "/");
		*p += *n;
		if (!(*n == 1 && c[0] == '.'))
			return c;
	}
}

int guestpath_match(const char *guest, const char *path, const char **rest)
{
	if (!strcmp(guest, "/") || !strcmp(guest, ".")) {
		*rest = path;
		while (**rest == '/')
			(*rest)++;
		return 0;
	}
	if ((guest[0] == '/') != (path[0] == '/'))
		return -1;
	const char *g = guest, *p = path;
	int score = 1;
	size_t gn, pn;
	const char *gc;
	while ((gc = next_comp(&g, &gn))) {
		const char *pc = next_comp(&p, &pn);
		if (!pc || gn != pn || memcmp(gc, pc, gn))
			return -1;
		score++;
	}
	while (*p == '/')
		p++;
	*rest = p;
	return score;
}

bool guestpath_rel_stays(const char *rel)
{
	long depth = 0;
	const char *p = rel;
	size_t n;
	const char *c;
	if (*rel == '/')
		return false;
	while ((c = next_comp(&p, &n)))
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (--depth < 0)
				return false;
		} else {
			depth++;
		}
	return true;
}
