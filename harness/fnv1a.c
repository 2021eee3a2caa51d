/* fnv1a.c - see fnv1a.h. */
#include "fnv1a.h"

unsigned long long fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 1099511628211ULL;
	}
	return h;
}
