/* buf.c - see buf.h. */
#include "buf.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->cap = cap;
	b->truncated = false;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->cap);
}

static void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->alloc)
		return;
	size_t want = b->alloc ? b->alloc : 64;
	while (want < b->len + extra + 1)
		want *= 2;
	b->data = xrealloc(b->data, want);
	b->alloc = want;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap && b->len + n > b->cap) {
		n = b->cap > b->len ? b->cap - b->len : 0;
		b->truncated = true;
	}
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	/* format straight into the buffer's spare room; only a capped buffer, or one too
	 * small for the text, takes the slower copy */
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->alloc > b->len ? b->alloc - b->len : 0;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		xoom();
	if ((size_t)n < room && (!b->cap || b->len + (size_t)n <= b->cap)) {
		b->len += (size_t)n;
		return;
	}
	if (!b->cap) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = '\0';	/* undo the partial text */
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, s, (size_t)n);
	free(s);
}

char *buf_detach(struct buf *b)
{
	if (!b->data)
		buf_grow(b, 0), b->data[0] = '\0';
	char *d = b->data;
	b->data = NULL;
	b->len = b->alloc = 0;
	b->truncated = false;
	return d;
}
