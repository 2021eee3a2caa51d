/* jsonw.h - a streaming JSON writer for the reports (reports/jsonw.c). It writes the
 * bytes jansson's json_dump* writes with JSON_PRESERVE_ORDER and either JSON_INDENT(n)
 * or JSON_COMPACT (same escapes, same number formats, same white space), so a report
 * can be written piece by piece, without first building a json_t tree of its whole
 * output, and stay byte-identical to one that was. The 'script' mode also writes '<' as
 * \u003c, for JSON inside an HTML <script> element.
 * Ownership: a struct jsonw borrows the buffer and the FILE; jw_flush() writes what the
 * buffer holds to the FILE (when there is one) and empties it. */
#ifndef WM_JSONW_H
#define WM_JSONW_H

#include "util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#define JW_MAX_DEPTH 64

struct jsonw {
	struct buf *b;
	FILE *f;		/* NULL: everything stays in b */
	int indent;		/* spaces per level; 0 is JSON_COMPACT */
	bool script;		/* '<' as \u003c */
	int depth;		/* open containers (at most JW_MAX_DEPTH; jw_value goes deeper) */
	size_t count[JW_MAX_DEPTH];	/* members written in each open container */
	bool keyed;		/* a key was written: its value comes next */
};

/* A writer appending to b (and flushing to f, which may be NULL, once b is large). */
void jw_init(struct jsonw *w, struct buf *b, FILE *f, int indent, bool script);
/* Writes what b holds to f, if any; false on a write error. */
bool jw_flush(struct jsonw *w);

/* Containers. Inside an object, every value is preceded by jw_key. */
void jw_obj(struct jsonw *w);
void jw_arr(struct jsonw *w);
void jw_end_obj(struct jsonw *w);
void jw_end_arr(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);

/* Values: strings (s may hold NUL), numbers, literals, and any json_t as a whole. A
 * NULL string or json_t is written as null. */
void jw_strn(struct jsonw *w, const char *s, size_t n);
void jw_str(struct jsonw *w, const char *s);
void jw_int(struct jsonw *w, long long v);
void jw_real(struct jsonw *w, double v);
void jw_bool(struct jsonw *w, bool v);
void jw_null(struct jsonw *w);
void jw_value(struct jsonw *w, const json_t *j);

/* The common "key": value pairs. */
void jw_kstr(struct jsonw *w, const char *key, const char *s);
void jw_kint(struct jsonw *w, const char *key, long long v);
void jw_kvalue(struct jsonw *w, const char *key, const json_t *j);

#endif
