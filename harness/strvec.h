/* strvec.h - vectors of strings (argument lists, name lists).
 * Ownership: a struct strvec owns its strings; strvec_release() frees them. */
#ifndef WM_STRVEC_H
#define WM_STRVEC_H

#include <stddef.h>

struct strvec {
	char **v;
	size_t n, alloc;
};
#define STRVEC_INIT { NULL, 0, 0 }
void strvec_push(struct strvec *sv, const char *s);
void strvec_push_nodup(struct strvec *sv, char *s);
void strvec_release(struct strvec *sv);
/* NULL-terminated view of the vector, valid until the next push. */
char **strvec_argv(struct strvec *sv);
/* qsort comparator for an array of char * such as a strvec's v (strcmp order). */
int strvec_cmp(const void *a, const void *b);

#endif
