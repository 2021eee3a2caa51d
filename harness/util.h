/* util.h - memory, growable capped buffers, string vectors.
 * Ownership: a struct buf owns its data; buf_release() frees it. A struct strvec
 * owns its strings; strvec_release() frees them. xmalloc & co abort on OOM. */
#ifndef WM_UTIL_H
#define WM_UTIL_H

#include <stddef.h>
#include <stdbool.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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

/* File helpers. read_file returns malloc'd NUL-terminated content or NULL (errno set). */
char *read_file(const char *path, size_t *len);
bool path_is_dir(const char *path);
bool path_is_file(const char *path);
char *path_join(const char *a, const char *b);
char *path_dirname(const char *p);
const char *path_basename(const char *p);
/* The names in dir (not . files) ending in suffix (NULL: any), sorted, appended to out.
 * Returns 0, or -1 when dir cannot be read. */
int dir_list(const char *dir, const char *suffix, struct strvec *out);
/* mkdir -p (mode 0755); an existing directory is success. 0 or -1 with errno. */
int mkdir_p(const char *path);
/* rm -rf without following symlinks; returns 0 on success. */
int remove_tree(const char *path);
double now_seconds(void);	/* monotonic */

/* Edit distance, used for "did you mean" suggestions. */
size_t levenshtein(const char *a, const char *b);
/* Closest candidate within a sensible distance, or NULL. */
const char *closest_word(const char *word, const char *const *cands, size_t n);

/* Shell-quote one argument for a copy-pastable command line. */
void shell_quote(struct buf *out, const char *arg);
/* Appends s[0..n) with everything a terminal would interpret made visible, never
 * interpreted: control characters as \r, \t (single-line), \n (single-line) or \xHH (ESC is
 * \x1b), DEL as \x7f, invalid UTF-8 bytes as \xHH, C1 controls and bidi overrides as
 * \uHHHH. keep_newlines: '\n' and '\t' stay (multi-line text such as diffs). The one
 * escaping function for text from input or guests that reaches a terminal. */
void buf_add_visible(struct buf *out, const char *s, size_t n, bool keep_newlines);
/* The same into a malloc'd string (s NULL gives ""). */
char *str_visible(const char *s, bool keep_newlines);

#endif
