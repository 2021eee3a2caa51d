/* jsonload.c - see jsonload.h. The builder keeps a stack of open containers; a value is
 * appended to the array on top, or set under the pending key of the object on top. */
#include "jsonload.h"
#include "util.h"

#include <string.h>
#include <yajl/yajl_parse.h>

#define MAX_DEPTH 512
/* Repeated values (runtime and test names, outcomes, small integers, short outputs) are
 * shared: one json_t with a reference per use, through a direct-mapped cache. A collision
 * only replaces the entry, so crafted input can lower the hit rate, never slow the parse. */
#define INTERN_SLOTS 4096
#define INTERN_MAX_LEN 128
#define SMALL_INTS 1024

struct builder {
	json_t *stack[MAX_DEPTH];
	int depth;
	struct buf key;		/* pending object key (a NUL-terminated copy) */
	bool has_key;
	json_t *root;
	int failed;
	bool nul;		/* some string value holds a NUL */
	yajl_handle h;
	size_t end;		/* offset just past the top value */
	json_t *strs[INTERN_SLOTS];	/* owned references, or NULL */
	json_t *ints[SMALL_INTS];	/* 0..SMALL_INTS-1, owned references, or NULL */
};

/* Adds v (a new reference) where it belongs; 0 aborts the parse. */
static int add(struct builder *b, json_t *v)
{
	if (!v)
		return b->failed = 1, 0;
	if (b->depth == 0) {
		if (b->root || !(json_is_object(v) || json_is_array(v))) {
			json_decref(v);
			return b->failed = 1, 0;	/* a scalar at the top: let jansson say so */
		}
		b->root = v;
		return 1;
	}
	json_t *top = b->stack[b->depth - 1];
	if (json_is_array(top))
		return json_array_append_new(top, v) == 0 ? 1 : (b->failed = 1, 0);
	if (!b->has_key) {
		json_decref(v);
		return b->failed = 1, 0;
	}
	/* a duplicate key replaces instead of adding: the size tells, and jansson reports it */
	size_t before = json_object_size(top);
	int rc = json_object_set_new_nocheck(top, b->key.data, v);
	b->has_key = false;
	return rc == 0 && json_object_size(top) > before ? 1 : (b->failed = 1, 0);
}

static int open_container(struct builder *b, json_t *c)
{
	if (b->depth >= MAX_DEPTH) {
		json_decref(c);
		return b->failed = 1, 0;
	}
	json_incref(c);		/* one reference for the stack, one for the parent */
	if (!add(b, c)) {
		json_decref(c);
		return 0;
	}
	b->stack[b->depth++] = c;
	return 1;
}

static int close_container(struct builder *b)
{
	json_decref(b->stack[--b->depth]);
	if (b->depth == 0 && b->h)
		b->end = yajl_get_bytes_consumed(b->h);
	return 1;
}

static int on_null(void *ctx) { return add(ctx, json_null()); }
static int on_bool(void *ctx, int v) { return add(ctx, json_boolean(v)); }
static int on_int(void *ctx, long long v)
{
	struct builder *b = ctx;
	if (v < 0 || v >= SMALL_INTS)
		return add(b, json_integer(v));
	if (!b->ints[v])
		b->ints[v] = json_integer(v);
	return add(b, json_incref(b->ints[v]));
}
static int on_double(void *ctx, double v) { return add(ctx, json_real(v)); }
/* Is s[0..n) UTF-8 as jansson takes it? yajl lets overlong forms ("\xc0\x91") and
 * encoded surrogates through, which jansson refuses: such text goes to jansson. */
static bool utf8_strict(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t l = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!l || i + l > n)
			return false;
		unsigned cp = c & (0x7f >> l);
		for (size_t k = 1; k < l; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min[l] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += l;
	}
	return true;
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct builder *b = ctx;
	if (memchr(s, 0, n))
		b->nul = true;
	if (!utf8_strict(s, n))
		return b->failed = 1, 0;
	if (n > INTERN_MAX_LEN)
		return add(b, json_stringn_nocheck((const char *)s, n));
	json_t **slot = &b->strs[fnv1a(FNV1A_INIT, s, n) % INTERN_SLOTS];
	if (!*slot || json_string_length(*slot) != n || memcmp(json_string_value(*slot), s, n)) {
		json_decref(*slot);
		*slot = json_stringn_nocheck((const char *)s, n);
	}
	return add(b, json_incref(*slot));
}
static int on_start_map(void *ctx) { return open_container(ctx, json_object()); }
static int on_start_array(void *ctx) { return open_container(ctx, json_array()); }
static int on_end(void *ctx) { return close_container(ctx); }
static int on_key(void *ctx, const unsigned char *s, size_t n)
{
	struct builder *b = ctx;
	if (memchr(s, 0, n) || !utf8_strict(s, n))
		return b->failed = 1, 0;	/* jansson refuses NUL in keys */
	b->key.len = 0;
	buf_add(&b->key, s, n);
	b->has_key = true;
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null, on_bool, on_int, on_double, NULL, on_string,
	on_start_map, on_key, on_end, on_start_array, on_end,
};

json_t *jsonload_fast(const char *text, size_t len, bool *nul)
{
	/* yajl also takes \f and \v as white space, which JSON does not (both are invalid
	 * inside strings too): let jansson refuse them */
	if (memchr(text, '\f', len) || memchr(text, '\v', len))
		return NULL;
	/* yajl takes a lone surrogate escape ("\udf48"), which jansson refuses: any surrogate
	 * escape (rare: writers put non-ASCII as UTF-8) goes to jansson */
	for (const char *p = text, *end = text + len; (p = memchr(p, '\\', (size_t)(end - p))) && end - p >= 4; p++)
		if (p[1] == 'u' && (p[2] == 'd' || p[2] == 'D') && strchr("89abcdefABCDEF", p[3]) && p[3])
			return NULL;
	struct builder *b = xcalloc(1, sizeof *b);	/* ~45 KB: not on the stack */
	yajl_handle h = b->h = yajl_alloc(&callbacks, NULL, b);
	if (!h) {
		free(b);
		return NULL;
	}
	yajl_status st = yajl_parse(h, (const unsigned char *)text, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	b->h = NULL;
	while (b->depth > 0)
		close_container(b);
	buf_release(&b->key);
	for (size_t i = 0; i < INTERN_SLOTS; i++)
		json_decref(b->strs[i]);
	for (size_t i = 0; i < SMALL_INTS; i++)
		json_decref(b->ints[i]);
	/* yajl does not lex an unfinished token after the top value ({}"x): only white space
	 * may follow it */
	for (size_t i = b->end; b->root && i < len; i++)
		if (!strchr(" \t\n\r", text[i]) || !text[i])
			b->failed = 1;
	json_t *root = b->root;
	if (st != yajl_status_ok || b->failed || !root) {
		json_decref(root);
		root = NULL;
	} else {
		*nul = b->nul;
	}
	free(b);
	return root;
}

const char *jsonload_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}
