/* ynode.h - a YAML (and therefore JSON) document as a tree with source positions,
 * plus typed accessors that report errors to a struct diag.
 * Ownership: a struct ydoc owns every node; ydoc_release() frees the tree. Strings
 * returned by accessors point into the tree unless the name says "dup". */
#ifndef WM_YNODE_H
#define WM_YNODE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col;	/* 1-based start of the node */
	char *str;		/* scalar text (NUL-terminated; may hold NULs) */
	size_t len;
	bool plain;		/* unquoted scalar: may be a number, bool or null */
	struct ynode **kids;	/* seq: items; map: key0, val0, key1, val1, ... */
	size_t n;		/* number of kids (maps: 2 * pairs) */
};

struct ydoc {
	char *file;
	struct ynode *root;	/* NULL for an empty document */
};

/* Parses 'path'. On failure adds diagnostics and returns -1. */
int ydoc_load(struct ydoc *doc, const char *path, struct diag *d);
void ydoc_release(struct ydoc *doc);

const char *ynode_kind_name(const struct ynode *n);
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* Key node of pair i / value node of pair i. */
#define YMAP_KEY(m, i) ((m)->kids[2 * (i)])
#define YMAP_VAL(m, i) ((m)->kids[2 * (i) + 1])
#define YMAP_PAIRS(m) ((m)->n / 2)

/* Validation helpers: each reports "file:line:col: error: ..." and returns false. */
bool ynode_expect(const struct ynode *n, enum ynode_kind k, const char *file,
		  const char *what, struct diag *d);
bool ynode_check_keys(const struct ynode *map, const char *file, const char *ctx,
		      const char *const *allowed, size_t nallowed, struct diag *d);
bool ynode_require(const struct ynode *map, const char *key, const char *file,
		   const char *ctx, struct diag *d);
bool ynode_str(const struct ynode *n, const char *file, const char *what,
	       struct diag *d, const char **out);
/* ynode_str refuses a string holding a NUL (every caller uses it as a C string);
 * ynode_bytes takes any string, with its length, for byte data (stdin, output
 * expectations) where a NUL is an ordinary byte. */
bool ynode_bytes(const struct ynode *n, const char *file, const char *what,
		 struct diag *d, const char **out, size_t *len);
/* An environment variable name (a map key): not empty, no '=', no NUL. */
bool ynode_env_key(const struct ynode *k, const char *file, struct diag *d);
bool ynode_int(const struct ynode *n, const char *file, const char *what,
	       long lo, long hi, struct diag *d, long *out);
bool ynode_num(const struct ynode *n, const char *file, const char *what,
	       double lo, double hi, struct diag *d, double *out);
bool ynode_bool(const struct ynode *n, const char *file, const char *what,
		struct diag *d, bool *out);
bool ynode_is_null(const struct ynode *n);
struct strvec;
/* A list of strings, appended to out; false (with errors) if n is not one. */
bool ynode_str_list(const struct ynode *n, const char *file, const char *what, struct diag *d,
		    struct strvec *out);

#endif
