/* ynode.c - see ynode.h. Built on libyaml's event parser, which gives every event
 * a start mark; aliases are refused (suites have no use for them and they would
 * make positions ambiguous). */
#define _GNU_SOURCE
#include "ynode.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YNODE_MAX_DEPTH 64

static struct ynode *node_new(enum ynode_kind k, const yaml_mark_t *m)
{
	struct ynode *n = xcalloc(1, sizeof(*n));
	n->kind = k;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

static void node_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

static void node_push(struct ynode *parent, struct ynode *kid)
{
	if ((parent->n & (parent->n - 1)) == 0) /* grow at powers of two */
		parent->kids = xrealloc(parent->kids, (parent->n ? parent->n * 2 : 4) * sizeof(kid));
	parent->kids[parent->n++] = kid;
}

struct parse {
	yaml_parser_t p;
	const char *file;
	const char *text;	/* the whole input */
	size_t len;
	struct diag *d;
	bool failed;
};

/* libyaml checks the whole input for control characters first and blames 1:1: find
 * the first one (a raw NUL byte, say) so that the message points at it. */
static bool find_control(const struct parse *ps, unsigned *line, unsigned *col, unsigned char *c)
{
	*line = *col = 1;
	for (size_t i = 0; i < ps->len; i++) {
		unsigned char b = (unsigned char)ps->text[i];
		if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
			*c = b;
			return true;
		}
		if (b == '\n')
			++*line, *col = 1;
		else if ((b & 0xc0) != 0x80)
			++*col;
	}
	return false;
}

static void parse_error(struct parse *ps)
{
	yaml_parser_t *p = &ps->p;
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;
	const char *what = p->problem ? p->problem : "syntax error";
	size_t fl = strlen(ps->file);
	const char *lang = fl > 5 && !strcmp(ps->file + fl - 5, ".json") ? "JSON" : "YAML";
	unsigned line, col;
	unsigned char c;
	if (p->problem && !strcmp(p->problem, "control characters are not allowed") &&
	    find_control(ps, &line, &col, &c)) {
		if (c)
			diag_error(ps->d, ps->file, line, col, "invalid %s: control character 0x%02x in the "
				   "file (escape it in a double-quoted string)", lang, c);
		else
			diag_error(ps->d, ps->file, line, col, "invalid %s: a NUL byte in the file", lang);
		ps->failed = true;
		return;
	}
	if (p->context)
		diag_error(ps->d, ps->file, (unsigned)m->line + 1, (unsigned)m->column + 1,
			   "invalid %s: %s %s", lang, what, p->context);
	else
		diag_error(ps->d, ps->file, (unsigned)m->line + 1, (unsigned)m->column + 1,
			   "invalid %s: %s", lang, what);
	ps->failed = true;
}

/* Parses one node whose first event is 'ev' (consumed by the caller's delete). */
static struct ynode *parse_node(struct parse *ps, yaml_event_t *ev, int depth)
{
	if (depth > YNODE_MAX_DEPTH) {
		diag_error(ps->d, ps->file, (unsigned)ev->start_mark.line + 1,
			   (unsigned)ev->start_mark.column + 1, "nesting deeper than %d levels",
			   YNODE_MAX_DEPTH);
		ps->failed = true;
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		struct ynode *n = node_new(YN_SCALAR, &ev->start_mark);
		n->len = ev->data.scalar.length;
		n->str = xstrndup((const char *)ev->data.scalar.value, n->len);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	}
	case YAML_ALIAS_EVENT:
		diag_error(ps->d, ps->file, (unsigned)ev->start_mark.line + 1,
			   (unsigned)ev->start_mark.column + 1,
			   "YAML aliases ('*%s') are not supported; repeat the value or use 'defaults'",
			   (const char *)ev->data.alias.anchor);
		ps->failed = true;
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool is_map = ev->type == YAML_MAPPING_START_EVENT;
		struct ynode *n = node_new(is_map ? YN_MAP : YN_SEQ, &ev->start_mark);
		yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
		struct strset keys = STRSET_INIT;	/* a map's keys so far -> their kid index */
		for (;;) {
			yaml_event_t kid;
			if (!yaml_parser_parse(&ps->p, &kid)) {
				parse_error(ps);
				strset_release(&keys);
				node_free(n);
				return NULL;
			}
			if (kid.type == end) {
				yaml_event_delete(&kid);
				break;
			}
			struct ynode *k = parse_node(ps, &kid, depth + 1);
			yaml_event_delete(&kid);
			if (!k) {
				strset_release(&keys);
				node_free(n);
				return NULL;
			}
			if (is_map && n->n % 2 == 0) {
				size_t first;
				if (k->kind != YN_SCALAR) {
					diag_error(ps->d, ps->file, k->line, k->col,
						   "mapping keys must be plain strings, not a %s",
						   ynode_kind_name(k));
					ps->failed = true;
				} else if (memchr(k->str, '\0', k->len)) {
					/* every key is used as a C string: it would be cut at the NUL */
					diag_error(ps->d, ps->file, k->line, k->col,
						   "mapping key '%s\\0...' contains a NUL character", k->str);
					ps->failed = true;
				} else if (!strset_add(&keys, k->str, k->len, n->n, &first)) {
					diag_error(ps->d, ps->file, k->line, k->col,
						   "duplicate key '%s' (first at line %u)", k->str,
						   n->kids[first]->line);
					ps->failed = true;
				}
			}
			node_push(n, k);
		}
		strset_release(&keys);
		return n;
	}
	default:
		diag_error(ps->d, ps->file, (unsigned)ev->start_mark.line + 1,
			   (unsigned)ev->start_mark.column + 1, "unexpected YAML event");
		ps->failed = true;
		return NULL;
	}
}

int ydoc_load(struct ydoc *doc, const char *path, struct diag *d)
{
	doc->file = xstrdup(path);
	doc->root = NULL;
	size_t len;
	char *text = fs_read_file(path, &len);
	if (!text) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		free(doc->file);
		doc->file = NULL;
		return -1;
	}
	struct parse ps = { .file = path, .text = text, .len = len, .d = d };
	yaml_parser_initialize(&ps.p);
	yaml_parser_set_input_string(&ps.p, (const unsigned char *)text, len);
	int docs = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&ps.p, &ev)) {
			parse_error(&ps);
			break;
		}
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			diag_error(d, path, (unsigned)ev.start_mark.line + 1,
				   (unsigned)ev.start_mark.column + 1,
				   "only one YAML document per file is allowed");
			ps.failed = true;
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
		    t == YAML_MAPPING_START_EVENT || t == YAML_ALIAS_EVENT) {
			doc->root = parse_node(&ps, &ev, 0);
		}
		yaml_event_delete(&ev);
		if (ps.failed)
			break;
	}
	yaml_parser_delete(&ps.p);
	free(text);
	if (ps.failed) {
		node_free(doc->root);
		doc->root = NULL;
		free(doc->file);
		doc->file = NULL;
		return -1;
	}
	return 0;
}

void ydoc_release(struct ydoc *doc)
{
	node_free(doc->root);
	free(doc->file);
	doc->root = NULL;
	doc->file = NULL;
}

bool ynode_is_null(const struct ynode *n)
{
	return !n || (n->kind == YN_SCALAR && n->plain &&
		      (!strcmp(n->str, "") || !strcmp(n->str, "~") || !strcmp(n->str, "null")));
}

const char *ynode_kind_name(const struct ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case YN_MAP:
		return "mapping";
	case YN_SEQ:
		return "list";
	default:
		break;
	}
	if (ynode_is_null(n))
		return "null";
	if (n->plain) {
		if (!strcmp(n->str, "true") || !strcmp(n->str, "false"))
			return "boolean";
		char *end;
		errno = 0;
		strtod(n->str, &end);
		if (*n->str && !*end)
			return "number";
	}
	return "string";
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (size_t i = 0; i < YMAP_PAIRS(map); i++)
		if (!strcmp(YMAP_KEY(map, i)->str, key))
			return YMAP_VAL(map, i);
	return NULL;
}

bool ynode_expect(const struct ynode *n, enum ynode_kind k, const char *file,
		  const char *what, struct diag *d)
{
	if (n && n->kind == k)
		return true;
	static const char *const names[] = { "a string", "a list", "a mapping" };
	diag_error(d, file, n ? n->line : 0, n ? n->col : 0, "%s must be %s, not %s%s", what,
		   names[k], n && n->kind == YN_SCALAR && !ynode_is_null(n) ? "a " : "",
		   ynode_kind_name(n));
	return false;
}

bool ynode_check_keys(const struct ynode *map, const char *file, const char *ctx,
		      const char *const *allowed, size_t nallowed, struct diag *d)
{
	bool ok = true;
	for (size_t i = 0; i < YMAP_PAIRS(map); i++) {
		const struct ynode *k = YMAP_KEY(map, i);
		bool found = false;
		for (size_t j = 0; j < nallowed && !found; j++)
			found = !strcmp(k->str, allowed[j]);
		if (found)
			continue;
		ok = false;
		const char *near = suggest_closest(k->str, allowed, nallowed);
		struct buf list = BUF_INIT;
		for (size_t j = 0; j < nallowed; j++)
			buf_addf(&list, "%s%s", j ? ", " : "", allowed[j]);
		if (near)
			diag_add(d, DIAG_ERROR, file, k->line, k->col, (unsigned)k->len,
				 "unknown key '%s' in %s; did you mean '%s'?", k->str, ctx, near);
		else
			diag_add(d, DIAG_ERROR, file, k->line, k->col, (unsigned)k->len,
				 "unknown key '%s' in %s (valid keys: %s)", k->str, ctx, list.data);
		buf_release(&list);
	}
	return ok;
}

bool ynode_require(const struct ynode *map, const char *key, const char *file,
		   const char *ctx, struct diag *d)
{
	if (ynode_get(map, key))
		return true;
	diag_error(d, file, map->line, map->col, "%s is missing the required key '%s'", ctx, key);
	return false;
}

bool ynode_str(const struct ynode *n, const char *file, const char *what,
	       struct diag *d, const char **out)
{
	if (!n || n->kind != YN_SCALAR || ynode_is_null(n)) {
		diag_error(d, file, n ? n->line : 0, n ? n->col : 0, "%s must be a string, not %s%s",
			   what, n && n->kind == YN_SCALAR ? "" : "a ", ynode_kind_name(n));
		return false;
	}
	if (memchr(n->str, '\0', n->len)) {
		/* a C string would silently end at the NUL: refuse instead */
		diag_error(d, file, n->line, n->col,
			   "%s must not contain a NUL character (found after '%s')", what, n->str);
		return false;
	}
	*out = n->str;
	return true;
}

bool ynode_bytes(const struct ynode *n, const char *file, const char *what,
		 struct diag *d, const char **out, size_t *len)
{
	if (!n || n->kind != YN_SCALAR || ynode_is_null(n)) {
		diag_error(d, file, n ? n->line : 0, n ? n->col : 0, "%s must be a string, not %s%s",
			   what, n && n->kind == YN_SCALAR ? "" : "a ", ynode_kind_name(n));
		return false;
	}
	*out = n->str;
	*len = n->len;
	return true;
}

bool ynode_env_key(const struct ynode *k, const char *file, struct diag *d)
{
	if (k->kind == YN_SCALAR && k->len && !memchr(k->str, '=', k->len) &&
	    !memchr(k->str, '\0', k->len))
		return true;
	diag_error(d, file, k->line, k->col,
		   "environment variable name '%s' is empty or contains '=' or NUL", k->str ? k->str : "");
	return false;
}

bool ynode_num(const struct ynode *n, const char *file, const char *what,
	       double lo, double hi, struct diag *d, double *out)
{
	char *end = NULL;
	double v = 0;
	if (n && n->kind == YN_SCALAR && n->plain && *n->str) {
		errno = 0;
		v = strtod(n->str, &end);
	}
	if (!end || *end || errno || !isfinite(v)) {
		diag_add(d, DIAG_ERROR, file, n ? n->line : 0, n ? n->col : 0,
			 n && n->kind == YN_SCALAR ? (unsigned)n->len : 1,
			 "%s must be a number, not %s%s%s%s", what, ynode_kind_name(n),
			 n && n->kind == YN_SCALAR ? " '" : "",
			 n && n->kind == YN_SCALAR ? n->str : "",
			 n && n->kind == YN_SCALAR ? "'" : "");
		return false;
	}
	if (v < lo || v > hi) {
		diag_add(d, DIAG_ERROR, file, n->line, n->col, (unsigned)n->len,
			 "%s must be between %g and %g, not %s", what, lo, hi, n->str);
		return false;
	}
	*out = v;
	return true;
}

bool ynode_int(const struct ynode *n, const char *file, const char *what,
	       long lo, long hi, struct diag *d, long *out)
{
	char *end = NULL;
	long v = 0;
	if (n && n->kind == YN_SCALAR && n->plain && *n->str) {
		errno = 0;
		v = strtol(n->str, &end, 10);
	}
	if (!end || *end || errno) {
		diag_add(d, DIAG_ERROR, file, n ? n->line : 0, n ? n->col : 0,
			 n && n->kind == YN_SCALAR ? (unsigned)n->len : 1,
			 "%s must be an integer, not %s%s%s%s", what, ynode_kind_name(n),
			 n && n->kind == YN_SCALAR ? " '" : "",
			 n && n->kind == YN_SCALAR ? n->str : "",
			 n && n->kind == YN_SCALAR ? "'" : "");
		return false;
	}
	if (v < lo || v > hi) {
		diag_add(d, DIAG_ERROR, file, n->line, n->col, (unsigned)n->len,
			 "%s must be between %ld and %ld, not %ld", what, lo, hi, v);
		return false;
	}
	*out = v;
	return true;
}

bool ynode_bool(const struct ynode *n, const char *file, const char *what,
		struct diag *d, bool *out)
{
	if (n && n->kind == YN_SCALAR && n->plain) {
		if (!strcmp(n->str, "true")) {
			*out = true;
			return true;
		}
		if (!strcmp(n->str, "false")) {
			*out = false;
			return true;
		}
	}
	diag_error(d, file, n ? n->line : 0, n ? n->col : 0,
		   "%s must be true or false, not %s%s%s%s", what, ynode_kind_name(n),
		   n && n->kind == YN_SCALAR ? " '" : "", n && n->kind == YN_SCALAR ? n->str : "",
		   n && n->kind == YN_SCALAR ? "'" : "");
	return false;
}

bool ynode_str_list(const struct ynode *n, const char *file, const char *what, struct diag *d,
		    struct strvec *out)
{
	if (!ynode_expect(n, YN_SEQ, file, what, d))
		return false;
	bool ok = true;
	for (size_t i = 0; i < n->n; i++) {
		const char *s;
		if (ynode_str(n->kids[i], file, what, d, &s))
			strvec_push(out, s);
		else
			ok = false;
	}
	return ok;
}
