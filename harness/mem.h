/* mem.h - memory that never fails: xmalloc & co abort on OOM (with a message), so callers
 * never check for NULL. */
#ifndef WM_MEM_H
#define WM_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* The fatal exit they all take: a message on stderr, then abort(). For other
 * allocations that fail, such as vsnprintf's. */
_Noreturn void xoom(void);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
