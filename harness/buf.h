/* buf.h - growable byte buffers, optionally capped.
 * Ownership: a struct buf owns its data; buf_release() frees it. */
#ifndef WM_BUF_H
#define WM_BUF_H

#include <stdbool.h>
#include <stddef.h>

/* Growable byte buffer, always NUL-terminated. cap == 0 means unbounded;
 * otherwise appends past cap are dropped and 'truncated' is set (never an abort). */
struct buf {
	char *data;
	size_t len, alloc, cap;
	bool truncated;
};
#define BUF_INIT { NULL, 0, 0, 0, false }
void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_addc(struct buf *b, char c);
char *buf_detach(struct buf *b);	/* caller frees; b is reset */

#endif
