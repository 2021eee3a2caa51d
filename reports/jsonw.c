/* jsonw.c - see jsonw.h. What jansson 2.14's dump.c writes, reproduced: strings with
 * \" \\ \b \f \n \r \t and every other control character as \u00XX (upper-case hex),
 * '/' and non-ASCII as they are; integers as %lld; reals as %.17g with ".0" added when
 * that has neither '.' nor 'e', and the exponent's '+' and leading zeros dropped;
 * "{}" and "[]" for empty containers; with an indent, a newline and depth x indent
 * spaces before each member and before the closing bracket of a non-empty container,
 * and ": " after a key; compact, ":" and "," alone. The byte-identity of the reports
 * before and after (bench/same-output.sh) checks it on every format that uses it. */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (1 << 16)

void jw_init(struct jsonw *w, struct buf *b, FILE *f, int indent, bool script)
{
	memset(w, 0, sizeof *w);
	w->b = b;
	w->f = f;
	w->indent = indent;
	w->script = script;
}

bool jw_flush(struct jsonw *w)
{
	if (w->f && w->b->len) {
		fwrite(w->b->data, 1, w->b->len, w->f);
		w->b->len = 0;
	}
	return !w->f || !ferror(w->f);
}

static void maybe_flush(struct jsonw *w)
{
	if (w->f && w->b->len >= FLUSH_AT)
		jw_flush(w);
}

static void newline(struct jsonw *w, int depth)
{
	if (!w->indent)
		return;
	static const char spaces[] = "\n                                                                ";
	size_t n = (size_t)depth * (size_t)w->indent;
	buf_add(w->b, spaces, 1);
	while (n) {
		size_t k = n < sizeof spaces - 2 ? n : sizeof spaces - 2;
		buf_add(w->b, spaces + 1, k);
		n -= k;
	}
}

/* Before a value: right after a key, nothing; otherwise the separator and indent. */
static void item(struct jsonw *w)
{
	if (w->keyed) {
		w->keyed = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->count[w->depth - 1]++)
		buf_addc(w->b, ',');
	newline(w, w->depth);
}

static void open_c(struct jsonw *w, char c)
{
	if (w->depth == JW_MAX_DEPTH)
		abort();	/* the renderers' own nesting, never the input's (jw_value) */
	item(w);
	buf_addc(w->b, c);
	w->count[w->depth++] = 0;
}

static void close_c(struct jsonw *w, char c)
{
	w->depth--;
	if (w->count[w->depth])
		newline(w, w->depth);
	buf_addc(w->b, c);
	maybe_flush(w);
}

void jw_obj(struct jsonw *w) { open_c(w, '{'); }
void jw_arr(struct jsonw *w) { open_c(w, '['); }
void jw_end_obj(struct jsonw *w) { close_c(w, '}'); }
void jw_end_arr(struct jsonw *w) { close_c(w, ']'); }

static void string(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf *b = w->b;
	buf_addc(b, '"');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && (c != '<' || !w->script))
			continue;
		buf_add(b, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '<': buf_add(b, "\\u003c", 6); break;	/* as report_json_script always wrote it */
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_add(b, u, 6);
		}
		}
	}
	buf_add(b, s + start, n - start);
	buf_addc(b, '"');
}

void jw_key(struct jsonw *w, const char *key)
{
	item(w);
	string(w, key, strlen(key));
	buf_add(w->b, ": ", w->indent ? 2 : 1);
	w->keyed = true;
}

void jw_strn(struct jsonw *w, const char *s, size_t n)
{
	if (!s) {
		jw_null(w);
		return;
	}
	item(w);
	string(w, s, n);
	maybe_flush(w);
}

void jw_str(struct jsonw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void jw_int(struct jsonw *w, long long v)
{
	item(w);
	buf_addf(w->b, "%lld", v);
}

static void real(struct buf *b, double v)
{
	char t[64];
	int n = snprintf(t, sizeof t, "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof t - 3)
		n = 0;
	if (!strchr(t, '.') && !strchr(t, 'e')) {
		memcpy(t + n, ".0", 3);
		n += 2;
	}
	char *e = strchr(t, 'e');
	if (e) {
		char *start = e + 1, *end = e + 2;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(t + n - end) + 1);
			n -= (int)(end - start);
		}
	}
	buf_add(b, t, (size_t)n);
}

void jw_real(struct jsonw *w, double v)
{
	item(w);
	real(w->b, v);
}

void jw_bool(struct jsonw *w, bool v)
{
	item(w);
	buf_adds(w->b, v ? "true" : "false");
}

void jw_null(struct jsonw *w)
{
	item(w);
	buf_add(w->b, "null", 4);
}

/* A whole json_t at container depth 'depth' (its members one deeper). */
static void value(struct jsonw *w, const json_t *j, int depth)
{
	struct buf *b = w->b;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;
		bool any = false;
		buf_addc(b, '{');
		json_object_foreach((json_t *)j, k, x) {
			if (any)
				buf_addc(b, ',');
			any = true;
			newline(w, depth + 1);
			string(w, k, strlen(k));
			buf_add(b, ": ", w->indent ? 2 : 1);
			value(w, x, depth + 1);
		}
		if (any)
			newline(w, depth);
		buf_addc(b, '}');
		maybe_flush(w);
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		buf_addc(b, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_addc(b, ',');
			newline(w, depth + 1);
			value(w, json_array_get(j, i), depth + 1);
		}
		if (n)
			newline(w, depth);
		buf_addc(b, ']');
		maybe_flush(w);
		break;
	}
	case JSON_STRING: string(w, json_string_value(j), json_string_length(j)); break;
	case JSON_INTEGER: buf_addf(b, "%lld", (long long)json_integer_value(j)); break;
	case JSON_REAL: real(b, json_real_value(j)); break;
	case JSON_TRUE: buf_add(b, "true", 4); break;
	case JSON_FALSE: buf_add(b, "false", 5); break;
	default: buf_add(b, "null", 4); break;
	}
}

void jw_value(struct jsonw *w, const json_t *j)
{
	item(w);
	if (!j)
		buf_add(w->b, "null", 4);
	else
		value(w, j, w->depth);
}

void jw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jsonw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kvalue(struct jsonw *w, const char *key, const json_t *j)
{
	jw_key(w, key);
	jw_value(w, j);
}
